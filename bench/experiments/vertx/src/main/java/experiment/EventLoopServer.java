package experiment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.lead.Lead;
import io.chatleads.lead.LeadCursor;
import io.chatleads.lead.LeadJson;
import io.chatleads.lead.LeadValidator;
import io.chatleads.lead.NewLead;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.chatleads.ops.Metrics;
import io.chatleads.bench.BenchRoutes;
import io.chatleads.http.AccessLog;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.UUID;

/**
 * An experiment for issue 5, not part of chatleads: can a server with no blocking thread anywhere
 * (Vert.x's event loops for HTTP, vertx-pg-client on the same loops for PostgreSQL) reach the hot
 * and ingest ratios that the Javalin/Jetty server with blocking JDBC misses?
 *
 * <p>It serves only what those two scenarios and their HTTP ceiling send, with the same SQL and the
 * same response bodies as chatleads: {@code GET /api/v1/get-leads} page 1 without dates,
 * {@code POST /api/v1/chatbots/{id}/leads} from a widget, and {@code GET /bench/fixed}. What it
 * leaves out is listed in README.md next to this file.
 *
 * <p>Each event loop owns its own connections, so a query's answer is handled on the thread that
 * sent it: no request crosses threads. Reads share one pipelined connection per loop; each capture
 * transaction takes a connection of its own for its three round trips, as the JDBC path does.
 */
public final class EventLoopServer extends VerticleBase {

    // LeadRepository.PAGE_FIRST_SQL with the dates of a request that has none; bench/pgbench/hot.sql runs the same.
    private static final String PAGE_FIRST_SQL = """
            SELECT id, chatbot_id, owner_id, name, email, phone, conversation_id, created_at
            FROM leads
            WHERE chatbot_id = $1
              AND owner_id = $2
              AND created_at >= $3
              AND created_at <= $4
            ORDER BY created_at DESC, id DESC
            LIMIT $5
            """;
    // LeadRepository's INSERT_SQL and WebhookRepository's MATCHING_WEBHOOKS_SQL; bench/pgbench/ingest.sql runs the same.
    private static final String INSERT_SQL = """
            INSERT INTO leads (chatbot_id, owner_id, name, email, phone, conversation_id, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            RETURNING id
            """;
    private static final String MATCHING_WEBHOOKS_SQL = """
            SELECT id, events FROM webhooks
            WHERE owner_id = $1 AND (chatbot_id IS NULL OR chatbot_id = $2)
            """;

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Setup setup;
    private final List<PgConnection> readers = new ArrayList<>();
    private final ArrayDeque<PgConnection> idleWriters = new ArrayDeque<>();
    private final ArrayDeque<Runnable> waitingForWriter = new ArrayDeque<>();
    private final Map<Integer, byte[]> fixedBodies = new ConcurrentHashMap<>();
    private int nextReader;

    /**
     * What every loop shares. Keys and chatbot owners are read once at start, standing in for the
     * warm 5 s caches of the real server (the benchmark's request mix keeps those caches warm).
     */
    private record Setup(int port, PgConnectOptions database, int readersPerLoop, int writersPerLoop,
                         Map<String, String> ownerBySecretHash, Map<String, String> ownerByChatbot, Metrics metrics) {
    }

    private EventLoopServer(Setup setup) {
        this.setup = setup;
    }

    public static void main(String[] args) throws SQLException {
        String jdbcUrl = env("CHATLEADS_DB_URL", "jdbc:postgresql://127.0.0.1:5432/chatleads_bench?user=postgres");
        int loops = Integer.parseInt(env("EXPERIMENT_EVENT_LOOPS", Integer.toString(Runtime.getRuntime().availableProcessors())));
        Setup setup = new Setup(Integer.parseInt(env("PORT", "18080")), connectOptions(jdbcUrl),
                Integer.parseInt(env("EXPERIMENT_READ_CONNECTIONS_PER_LOOP", "1")),
                Integer.parseInt(env("EXPERIMENT_WRITE_CONNECTIONS_PER_LOOP", "8")),
                readPairs(jdbcUrl, "SELECT secret_hash, owner_id FROM api_keys WHERE revoked_at IS NULL"),
                readPairs(jdbcUrl, "SELECT id, owner_id FROM chatbots"), new Metrics());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        vertx.deployVerticle(() -> new EventLoopServer(setup), new DeploymentOptions().setInstances(loops))
                .onSuccess(id -> System.out.printf("listening on %d: %d event loops, native transport %s%n",
                        setup.port(), loops, vertx.isNativeTransportEnabled()))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    @Override
    public Future<?> start() {
        List<Future<PgConnection>> opening = new ArrayList<>();
        for (int i = 0; i < setup.readersPerLoop(); i++) {
            opening.add(PgConnection.connect(vertx, setup.database()).onSuccess(readers::add));
        }
        for (int i = 0; i < setup.writersPerLoop(); i++) {
            opening.add(PgConnection.connect(vertx, setup.database()).onSuccess(idleWriters::add));
        }
        Router router = Router.router(vertx);
        // What chatleads does around every request, on every route alike: a request id, the
        // security headers, one access-log line and one metrics sample keyed by the route template.
        router.route().handler(this::aroundEveryRequest);
        router.get("/api/v1/get-leads").handler(context -> getLeads(context.request()));
        router.post("/api/v1/chatbots/:chatbotId/leads").handler(BodyHandler.create().setBodyLimit(64 * 1024))
                .handler(context -> capture(context.request(), context.pathParam("chatbotId"), context.body().buffer()));
        router.get("/bench/fixed").handler(context -> {
            int bytes = Integer.parseInt(context.request().getParam("bytes", "1024"));
            context.response().putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(fixedBodies.computeIfAbsent(bytes, BenchRoutes::body)));
        });
        return Future.all(opening).compose(opened -> vertx.createHttpServer(new HttpServerOptions().setPort(setup.port()))
                .requestHandler(router)
                .listen());
    }

    private void aroundEveryRequest(RoutingContext context) {
        long started = System.nanoTime();
        String offered = context.request().getHeader("X-Request-Id");
        String requestId = offered != null && offered.length() <= 128 ? offered : UUID.randomUUID().toString();
        context.response().putHeader("X-Request-Id", requestId)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Cache-Control", "no-store");
        context.addEndHandler(ended -> {
            String method = context.request().method().name();
            String route = context.currentRoute() == null ? "unmatched" : context.currentRoute().getPath();
            int status = context.response().getStatusCode();
            long nanos = System.nanoTime() - started;
            AccessLog.write(setup.metrics(), method, route, status, requestId, nanos / 1e6);
        });
        context.next();
    }

    private void getLeads(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        String ownerId = authorization == null || !authorization.startsWith("Bearer ") ? null
                : setup.ownerBySecretHash().get(sha256(authorization.substring("Bearer ".length())));
        if (ownerId == null) {
            answer(request, 401, "missing or unknown API key");
            return;
        }
        String chatbotId = request.getParam("chatbotId");
        if (chatbotId == null || !"1".equals(request.getParam("page", "1")) || request.getParam("startDate") != null
                || request.getParam("endDate") != null || request.getParam("cursor") != null) {
            answer(request, 400, "this experiment serves page 1 of a chatbot without dates only");
            return;
        }
        int size = Integer.parseInt(request.getParam("size", "10"));
        PgConnection reader = readers.get(nextReader++ % readers.size());
        reader.preparedQuery(PAGE_FIRST_SQL)
                .execute(Tuple.of(chatbotId, ownerId, Long.MIN_VALUE, Long.MAX_VALUE, (long) size + 1))
                .onSuccess(rows -> writePage(request, rows, chatbotId, size))
                .onFailure(e -> answer(request, 500, e.toString()));
    }

    private static void writePage(HttpServerRequest request, RowSet<Row> rows, String chatbotId, int size) {
        List<Lead> found = new ArrayList<>(rows.size());
        for (Row row : rows) {
            found.add(new Lead(row.getLong(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                    row.getString(5), row.getString(6), Instant.ofEpochMilli(row.getLong(7))));
        }
        if (found.isEmpty()) {
            // chatleads would now ask its owner cache whether the chatbot is the caller's; the bench never gets here
            answer(request, 404, "chatbot '" + chatbotId + "' has no leads of this key's owner");
            return;
        }
        if (found.size() > size) {
            String next = "chatbotId=" + URLEncoder.encode(chatbotId, StandardCharsets.UTF_8) + "&page=2&size=" + size
                    + "&cursor=" + URLEncoder.encode(LeadCursor.after(found.get(size - 1)).encode(), StandardCharsets.UTF_8);
            request.response().putHeader("Link", "<http://" + request.authority() + request.path() + "?" + next + ">; rel=\"next\"");
            found = found.subList(0, size);
        }
        List<Lead> page = found;
        answerJson(request, 200, out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("data");
            for (Lead lead : page) {
                LeadJson.write(out, lead);
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    private void capture(HttpServerRequest request, String chatbotId, Buffer body) {
        String ownerId = setup.ownerByChatbot().get(chatbotId);
        if (ownerId == null) {
            answer(request, 404, "chatbot '" + chatbotId + "' not found");
            return;
        }
        NewLead lead;
        try {
            JsonNode fields = MAPPER.readTree(body.getBytes());
            lead = LeadValidator.validate(chatbotId, ownerId, new LeadValidator.Submission(text(fields, "name"),
                    text(fields, "email"), text(fields, "phone"), text(fields, "conversationId")), null, Instant.now());
        } catch (IOException | RuntimeException e) {
            answer(request, 400, String.valueOf(e.getMessage()));
            return;
        }
        withWriter(connection -> {
            // BEGIN goes out in the same flight as the INSERT, as pgjdbc sends it and as the pgbench ceiling does.
            connection.query("BEGIN").execute();
            connection.preparedQuery(INSERT_SQL)
                    .execute(Tuple.wrap(new Object[] {lead.chatbotId(), lead.ownerId(), lead.name(), lead.email(),
                            lead.phone(), lead.conversationId(), lead.createdAt().toEpochMilli()}))
                    .map(inserted -> inserted.iterator().next().getLong(0))
                    // The outbox's look-up; the bench data has no webhooks, so no delivery row follows.
                    .compose(id -> connection.preparedQuery(MATCHING_WEBHOOKS_SQL).execute(Tuple.of(ownerId, chatbotId)).map(id))
                    .compose(id -> connection.query("COMMIT").execute().map(id))
                    .onComplete(stored -> {
                        if (stored.failed()) {
                            connection.query("ROLLBACK").execute();
                            releaseWriter(connection);
                            answer(request, 500, stored.cause().toString());
                            return;
                        }
                        releaseWriter(connection);
                        Lead created = new Lead(stored.result(), lead.chatbotId(), lead.ownerId(), lead.name(),
                                lead.email(), lead.phone(), lead.conversationId(), lead.createdAt());
                        String origin = request.getHeader("Origin");
                        request.response().putHeader("Vary", "Origin");
                        if (origin != null) {
                            request.response().putHeader("Access-Control-Allow-Origin", origin);
                        }
                        answerJson(request, 201, out -> LeadJson.write(out, created));
                    });
        });
    }

    // Runs on this loop's thread only, so the queue of idle connections needs no lock.
    private void withWriter(Consumer<PgConnection> transaction) {
        PgConnection connection = idleWriters.poll();
        if (connection == null) {
            waitingForWriter.add(() -> withWriter(transaction));
            return;
        }
        transaction.accept(connection);
    }

    private void releaseWriter(PgConnection connection) {
        idleWriters.add(connection);
        Runnable waiting = waitingForWriter.poll();
        if (waiting != null) {
            waiting.run();
        }
    }

    private interface JsonWriting {
        void write(JsonGenerator out) throws IOException;
    }

    private static void answerJson(HttpServerRequest request, int status, JsonWriting body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            body.write(out);
        } catch (IOException e) {
            answer(request, 500, e.toString());
            return;
        }
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(bytes.toByteArray()));
    }

    private static void answer(HttpServerRequest request, int status, String message) {
        try {
            byte[] body = MAPPER.writeValueAsBytes(Map.of("message", message));
            request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
        } catch (IOException e) {
            request.response().setStatusCode(500).end();
        }
    }

    private static String text(JsonNode fields, String name) {
        JsonNode value = fields.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    private static String sha256(String secret) {
        return HexFormat.of().formatHex(SHA_256.get().digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    private static PgConnectOptions connectOptions(String jdbcUrl) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        PgConnectOptions options = new PgConnectOptions().setHost(uri.getHost()).setPort(uri.getPort() < 0 ? 5432 : uri.getPort())
                .setDatabase(uri.getPath().substring(1)).setCachePreparedStatements(true).setPipeliningLimit(256);
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                String[] nameValue = pair.split("=", 2);
                if (nameValue[0].equals("user")) {
                    options.setUser(nameValue[1]);
                } else if (nameValue[0].equals("password")) {
                    options.setPassword(nameValue[1]);
                }
            }
        }
        return options;
    }

    private static Map<String, String> readPairs(String jdbcUrl, String sql) throws SQLException {
        Map<String, String> pairs = new ConcurrentHashMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                pairs.put(rows.getString(1), rows.getString(2));
            }
        }
        return pairs;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
