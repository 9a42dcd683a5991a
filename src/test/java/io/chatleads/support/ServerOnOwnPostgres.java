package io.chatleads.support;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;

import java.util.Map;
import java.util.UUID;

/**
 * For fault tests: a real server on a PostgreSQL cluster of the test's own ({@link OwnPostgres},
 * which the test may stop, restart or reconfigure), with an owner, a chatbot and an API key of that
 * owner. Closing stops the server, then the cluster.
 */
public record ServerOnOwnPostgres(OwnPostgres cluster, TestServer server, Chatbot chatbot, String secret)
        implements AutoCloseable {

    /** A cluster started with {@code clusterSettings} (postgresql.conf names and values), and the server on it. */
    public static ServerOnOwnPostgres start(Map<String, String> clusterSettings) {
        return start(clusterSettings, Map.of());
    }

    /** {@link #start(Map)}, the server with {@code serverEnv}'s settings too. */
    public static ServerOnOwnPostgres start(Map<String, String> clusterSettings, Map<String, String> serverEnv) {
        OwnPostgres cluster = OwnPostgres.start(clusterSettings);
        try {
            TestServer server = TestServer.start(TestDatabase.postgresOn(cluster.adminUrl()), serverEnv);
            Owner owner = server.app().owners().create("owner-" + UUID.randomUUID() + "@example.com");
            Chatbot chatbot = server.app().chatbots().create(owner.id(), "bot");
            return new ServerOnOwnPostgres(cluster, server, chatbot, server.app().apiKeys().create(owner.id(), "k").secret());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            cluster.close();
        }
    }
}
