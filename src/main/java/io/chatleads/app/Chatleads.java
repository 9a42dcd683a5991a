package io.chatleads.app;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.chatleads.Settings;
import io.chatleads.account.Accounts;
import io.chatleads.apikey.ApiKeyAuthenticator;
import io.chatleads.apikey.ApiKeyRepository;
import io.chatleads.chatbot.ChatbotRepository;
import io.chatleads.chatbot.ChatbotSettingsRepository;
import io.chatleads.db.Database;
import io.chatleads.db.ReadReplicas;
import io.chatleads.db.StaleReads;
import io.chatleads.lead.EventLoopLeadListener;
import io.chatleads.lead.IdempotentLeadCreation;
import io.chatleads.lead.LeadCreationCounter;
import io.chatleads.lead.LeadRepository;
import io.chatleads.lead.LeadRetention;
import io.chatleads.lead.LeadSearch;
import io.chatleads.lead.LeadStats;
import io.chatleads.ops.Metrics;
import io.chatleads.owner.OwnerRepository;
import io.chatleads.webhook.SecretBox;
import io.chatleads.webhook.WebhookOutbox;
import io.chatleads.webhook.WebhookRepository;
import io.chatleads.webhook.WebhookTestEvent;
import io.chatleads.widget.WidgetSettingsJson;
import io.chatleads.widget.WidgetSettingsRepository;

import io.vertx.core.Context;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The object graph of one database: every repository and service, wired by hand with plain
 * constructors, here and nowhere else. The server ({@link Server}) and every command-line command
 * build their work on one of these, so both behave the same; tests build theirs through it too.
 */
public final class Chatleads implements AutoCloseable {

    private final Database database;
    // CHATLEADS_DB_READ_URL's replicas (none without it); the server starts their checks.
    private final ReadReplicas readReplicas;
    private final StaleReads staleReads;
    private final OwnerRepository owners;
    private final ChatbotRepository chatbots;
    private final ApiKeyRepository apiKeys;
    private final ApiKeyAuthenticator authenticator;
    private final LeadRepository leads;
    private final List<EventLoopLeadListener> eventLoopLeadListeners;
    private final ChatbotSettingsRepository chatbotSettings;
    private final IdempotentLeadCreation leadCreation;
    private final Clock clock;
    private final WebhookRepository webhooks;
    private final Metrics metrics;
    private final LeadStats leadStats;
    private final LeadSearch leadSearch;
    private final LeadRetention leadRetention;
    private final WebhookTestEvent webhookTestEvents;
    private final Accounts accounts;
    // Cache misses read the database here when the caller is an event loop, which must not wait on JDBC.
    private final ExecutorService cacheLoads;
    private final WidgetSettingsRepository widgetSettings;
    /** Set by {@link #openInBackground}: the database connecting and migrating on its own thread. */
    private CompletableFuture<Void> connecting;

    /** Without a webhook secret key (secrets stored unencrypted, see {@link SecretBox}) and without caches. */
    public Chatleads(Database database, Clock clock) {
        this(database, clock, SecretBox.unencrypted(), new Metrics(), Duration.ZERO);
    }

    /**
     * @param cacheTtl how long verified keys, chatbot owners and capture settings are remembered; a revocation made
     *                 through another process is seen within this time (docs/performance.md)
     */
    public Chatleads(Database database, Clock clock, SecretBox webhookSecrets, Metrics metrics, Duration cacheTtl) {
        this(database, clock, webhookSecrets, metrics, cacheTtl, Settings.from(java.util.Map.of()));
    }

    /** {@code settings}: what the owners' accounts read (session lifetimes, sign-up), and the read replicas. */
    public Chatleads(Database database, Clock clock, SecretBox webhookSecrets, Metrics metrics, Duration cacheTtl,
                     Settings settings) {
        this.database = database;
        this.metrics = metrics;
        // Pool gauges (active, idle, pending = waiting for a connection) and acquire timings.
        database.dataSource().setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics.registry()));
        this.readReplicas = ReadReplicas.configure(settings, database);
        readReplicas.bindTo(metrics.registry());
        // The reads that may be a replica's: get-leads pages and exports (LeadRepository), lead-stats
        // and the console's counts and chart (LeadStats), the console's leads table and search
        // (LeadSearch). Everything else reads the primary, so it sees what was just written.
        this.staleReads = new StaleReads(database, readReplicas);
        this.cacheLoads = Executors.newFixedThreadPool(Math.max(2, database.dataSource().getMaximumPoolSize()), task -> {
            Thread thread = new Thread(task, "chatleads-cache-load");
            thread.setDaemon(true);
            return thread;
        });
        Executor loads = task -> {
            if (Context.isOnEventLoopThread()) {
                cacheLoads.execute(task);
            } else {
                task.run();
            }
        };
        this.owners = new OwnerRepository(database.jdbi(), clock);
        this.chatbots = new ChatbotRepository(database.jdbi(), clock, cacheTtl, loads);
        this.apiKeys = new ApiKeyRepository(database.jdbi(), clock);
        this.authenticator = new ApiKeyAuthenticator(apiKeys, clock, cacheTtl, loads);
        this.webhooks = new WebhookRepository(database.jdbi(), database.dialect(), clock, webhookSecrets);
        // The webhook outbox and the lead counter run inside every lead's transaction, whichever
        // path creates the lead, the event loops' (EventLoopLeads) included.
        WebhookOutbox outbox = new WebhookOutbox(webhooks);
        LeadCreationCounter counter = new LeadCreationCounter(metrics.registry());
        this.leads = new LeadRepository(database.jdbi(), staleReads, List.of(outbox, counter));
        this.eventLoopLeadListeners = List.of(outbox, counter);
        this.chatbotSettings = new ChatbotSettingsRepository(database.jdbi(), cacheTtl, loads);
        // A chatbot deleted through this JVM stops taking leads here at once, whoever deleted it;
        // one created here is never hidden by a remembered absence of its id.
        chatbots.onCreateOrDelete(chatbotSettings::forget);
        this.leadCreation = new IdempotentLeadCreation(database.jdbi(), leads, clock);
        this.leadStats = new LeadStats(staleReads);
        this.leadSearch = new LeadSearch(staleReads, database.dialect(), cacheLoads);
        // A tenth of a second between delete transactions: captures and pages go first.
        this.leadRetention = new LeadRetention(database.jdbi(), database.dialect(), clock, Duration.ofMillis(100));
        this.webhookTestEvents = new WebhookTestEvent(database.jdbi(), clock);
        this.accounts = Accounts.of(settings, database.jdbi(), clock, owners, cacheTtl);
        this.clock = clock;
        this.widgetSettings = new WidgetSettingsRepository(database.jdbi(), database.dialect(), clock,
                new WidgetSettingsJson(new com.fasterxml.jackson.databind.ObjectMapper()), cacheTtl, loads);
        chatbots.onCreateOrDelete(widgetSettings::forget);
    }

    public static Chatleads open(Settings settings) {
        SecretBox webhookSecrets = SecretBox.from(settings);
        Duration cacheTtl = cacheTtl(settings);
        return new Chatleads(Database.open(settings), Clock.systemUTC(), webhookSecrets, new Metrics(), cacheTtl, settings);
    }

    /**
     * {@link #open}, but the database connects and migrates on a thread of its own, so that the caller
     * ({@code serve}) builds its HTTP server meanwhile. Nothing may use the database before
     * {@link #awaitDatabase()} returns.
     */
    public static Chatleads openInBackground(Settings settings) {
        SecretBox webhookSecrets = SecretBox.from(settings);
        Duration cacheTtl = cacheTtl(settings);
        Database database = Database.configure(settings);
        // The constructor instruments the pool, which must happen before the pool starts: fork after it.
        Chatleads app = new Chatleads(database, Clock.systemUTC(), webhookSecrets, new Metrics(), cacheTtl, settings);
        app.connecting = CompletableFuture.runAsync(database::connect,
                task -> new Thread(task, "chatleads-database-open").start());
        // Not awaited: runs while the server is built and bound, off the first request's path.
        app.connecting.thenRunAsync(database::warmUp, task -> {
            Thread thread = new Thread(task, "chatleads-database-warm-up");
            thread.setDaemon(true);
            thread.start();
        });
        return app;
    }

    /** Waits until the database of {@link #openInBackground} is ready; throws what opening it threw. */
    public void awaitDatabase() {
        if (connecting == null) {
            return;
        }
        try {
            connecting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    // At most 5 s, the bound the docs promise for a revocation made on another server.
    public static Duration cacheTtl(Settings settings) {
        return Duration.ofMillis(settings.integer("CHATLEADS_CACHE_TTL_MS", 5_000, 0, 5_000));
    }

    public Database database() {
        return database;
    }

    /** The read replicas of {@code CHATLEADS_DB_READ_URL}; empty without it. */
    public ReadReplicas readReplicas() {
        return readReplicas;
    }

    /** Reads that may be a replica's (a little stale); everything else uses {@link #database()}. */
    public StaleReads staleReads() {
        return staleReads;
    }

    public OwnerRepository owners() {
        return owners;
    }

    public ChatbotRepository chatbots() {
        return chatbots;
    }

    public ApiKeyRepository apiKeys() {
        return apiKeys;
    }

    public ApiKeyAuthenticator authenticator() {
        return authenticator;
    }

    public LeadRepository leads() {
        return leads;
    }

    /** What {@link io.chatleads.lead.EventLoopLeads} runs in each lead's transaction: the same as {@link #leads()}'s. */
    public List<EventLoopLeadListener> eventLoopLeadListeners() {
        return eventLoopLeadListeners;
    }

    public ChatbotSettingsRepository chatbotSettings() {
        return chatbotSettings;
    }

    public IdempotentLeadCreation leadCreation() {
        return leadCreation;
    }

    public Clock clock() {
        return clock;
    }

    public WebhookRepository webhooks() {
        return webhooks;
    }

    public LeadStats leadStats() {
        return leadStats;
    }

    public LeadSearch leadSearch() {
        return leadSearch;
    }

    /** Deletes leads past their owners' retention: the servers' job and {@code lead purge}. */
    public LeadRetention leadRetention() {
        return leadRetention;
    }

    public WebhookTestEvent webhookTestEvents() {
        return webhookTestEvents;
    }

    /** Owners' passwords, console sessions, sign-in throttling and invites. */
    public Accounts accounts() {
        return accounts;
    }

    public WidgetSettingsRepository widgetSettings() {
        return widgetSettings;
    }

    /** The meter registry every feature registers its meters with; scraped at /metrics. */
    public Metrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (connecting != null) {
            // Never close the pool under a migration in progress; whatever it failed with was reported by awaitDatabase.
            connecting.exceptionally(e -> null).join();
        }
        readReplicas.close();
        database.close();
        cacheLoads.shutdownNow();
        metrics.close();
    }
}
