package io.chatleads.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.Chatleads;
import io.chatleads.Settings;
import io.chatleads.chatbot.ChatbotRoutes;
import io.chatleads.lead.EraseLeadRoute;
import io.chatleads.lead.GetLeadsRoute;
import io.chatleads.lead.LeadCaptureRoute;
import io.chatleads.webhook.EndpointPolicy;
import io.chatleads.webhook.WebhookRegistration;
import io.chatleads.webhook.WebhookRoutes;
import io.chatleads.webhook.WebhookSettings;
import io.chatleads.webhook.WebhookWorker;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;

import java.time.Clock;

/** The HTTP server: Javalin configured once, with every route registered up front. */
public final class ApiServer implements AutoCloseable {

    private final Javalin javalin;
    private final WebhookWorker webhookWorker;

    private ApiServer(Javalin javalin, WebhookWorker webhookWorker) {
        this.javalin = javalin;
        this.webhookWorker = webhookWorker;
    }

    public static ApiServer start(Settings settings, Chatleads app) {
        ObjectMapper json = new ObjectMapper();
        ErrorMapping errors = new ErrorMapping(json);
        BearerAuth auth = new BearerAuth(app.authenticator(), RateLimits.perApiKey(settings));
        LeadCaptureRoute capture = new LeadCaptureRoute(auth, app.chatbots(), app.chatbotSettings(), app.leadCreation(),
                RateLimits.perWidgetClient(settings), settings.bool("CHATLEADS_TRUST_X_FORWARDED_FOR", false),
                json, app.clock());
        ChatbotRoutes chatbotRoutes = new ChatbotRoutes(auth, app.chatbots(), app.chatbotSettings(), json);
        GetLeadsRoute getLeads = new GetLeadsRoute(auth, app.chatbots(), app.leads(), json, settings.responseEnvelope());
        WebhookSettings webhookSettings = WebhookSettings.from(settings);
        WebhookRoutes webhookRoutes = new WebhookRoutes(auth, new WebhookRegistration(app.chatbots(), app.webhooks(),
                new EndpointPolicy(webhookSettings.allowPrivate())), app.webhooks(), json);

        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            // On JDK 21+ each request runs on a virtual thread; on 17 Javalin keeps its pool.
            config.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
            config.jsonMapper(new JavalinJackson(json, false));
            errors.install(config.routes);
            config.routes.get(GetLeadsRoute.PATH, getLeads);
            config.routes.post(LeadCaptureRoute.PATH, capture::submit);
            config.routes.options(LeadCaptureRoute.PATH, capture::preflight);
            config.routes.delete(EraseLeadRoute.PATH, new EraseLeadRoute(auth, app.leads()));
            chatbotRoutes.install(config.routes);
            webhookRoutes.register(config.routes);
        });
        javalin.start(settings.port());
        return new ApiServer(javalin, WebhookWorker.start(app.webhooks(), webhookSettings, Clock.systemUTC()));
    }

    /** The webhook delivery worker, for metrics: outbox depth, attempt outcomes, attempts in flight. */
    public WebhookWorker webhookWorker() {
        return webhookWorker;
    }

    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
        // After HTTP stops (no new leads), before the caller closes the database: attempts in
        // flight finish and are recorded.
        webhookWorker.close();
    }
}
