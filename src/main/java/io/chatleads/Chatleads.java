package io.chatleads;

import io.chatleads.apikey.ApiKeyAuthenticator;
import io.chatleads.apikey.ApiKeyRepository;
import io.chatleads.chatbot.ChatbotRepository;
import io.chatleads.db.Database;
import io.chatleads.lead.LeadRepository;
import io.chatleads.owner.OwnerRepository;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The repositories and services of one database, wired by hand. The server and every command-line
 * command build their work on one of these, so both behave the same.
 */
public final class Chatleads implements AutoCloseable {

    private final Database database;
    private final OwnerRepository owners;
    private final ChatbotRepository chatbots;
    private final ApiKeyRepository apiKeys;
    private final ApiKeyAuthenticator authenticator;
    private final LeadRepository leads;

    /** Without caches: every key check and ownership check asks the database. */
    public Chatleads(Database database, Clock clock) {
        this(database, clock, Duration.ZERO);
    }

    /**
     * @param cacheTtl how long verified keys and chatbot owners are remembered; a revocation made
     *                 through another process is seen within this time (docs/performance.md)
     */
    public Chatleads(Database database, Clock clock, Duration cacheTtl) {
        this.database = database;
        this.owners = new OwnerRepository(database.jdbi(), clock);
        this.chatbots = new ChatbotRepository(database.jdbi(), clock, cacheTtl);
        this.apiKeys = new ApiKeyRepository(database.jdbi(), clock);
        this.authenticator = new ApiKeyAuthenticator(apiKeys, clock, cacheTtl);
        this.leads = new LeadRepository(database.jdbi(), database.dataSource(), List.of());
    }

    public static Chatleads open(Settings settings) {
        // At most 5 s, the bound the docs promise for a revocation made on another server.
        Duration cacheTtl = Duration.ofMillis(settings.integer("CHATLEADS_CACHE_TTL_MS", 5_000, 0, 5_000));
        return new Chatleads(Database.open(settings), Clock.systemUTC(), cacheTtl);
    }

    public Database database() {
        return database;
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

    @Override
    public void close() {
        database.close();
    }
}
