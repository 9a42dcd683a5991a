package io.chatleads.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.Chatleads;
import io.chatleads.Settings;
import io.chatleads.bench.BenchRoutes;
import io.chatleads.lead.GetLeadsRoute;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;

/** The HTTP server: Javalin configured once, with every route registered up front. */
public final class ApiServer implements AutoCloseable {

    private final Javalin javalin;

    private ApiServer(Javalin javalin) {
        this.javalin = javalin;
    }

    public static ApiServer start(Settings settings, Chatleads app) {
        ObjectMapper json = new ObjectMapper();
        ErrorMapping errors = new ErrorMapping(json);
        BearerAuth auth = new BearerAuth(app.authenticator());
        GetLeadsRoute getLeads = new GetLeadsRoute(auth, app.chatbots(), app.leads(), json, settings.responseEnvelope());

        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            // On JDK 21+ each request runs on a virtual thread; on 17 Javalin keeps its pool.
            config.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
            config.jsonMapper(new JavalinJackson(json, false));
            BenchRoutes.installIfEnabled(settings, config.routes); // off unless CHATLEADS_BENCH_ENDPOINTS=true
            errors.install(config.routes);
            config.routes.get(GetLeadsRoute.PATH, getLeads);
        });
        javalin.start(settings.port());
        return new ApiServer(javalin);
    }

    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
    }
}
