package io.chatleads.bench;

import io.chatleads.error.InvalidInput;
import io.chatleads.Settings;
import io.chatleads.http.Responses;
import io.chatleads.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes that exist only for the benchmark suite (bench/run.sh), and only when
 * {@code CHATLEADS_BENCH_ENDPOINTS=true}; never on by default.
 *
 * <p>{@code GET /bench/fixed?bytes=N} answers a fixed JSON body of exactly N bytes without any
 * database work: the HTTP stack's ceiling for a response the size of a get-leads page.
 */
public final class BenchRoutes {

    public static final String FIXED_PATH = "/bench/fixed";
    private static final int MAX_BYTES = 1 << 20;

    private final ConcurrentHashMap<Integer, byte[]> bodies = new ConcurrentHashMap<>();

    public BenchRoutes() {
    }

    public static boolean enabled(Settings settings) {
        return settings.bool("CHATLEADS_BENCH_ENDPOINTS", false);
    }

    /** On the event loop, as the HTTP stack's ceiling must be: no database, so nothing to wait for. */
    public void register(Routes routes) {
        routes.onLoop(HttpMethod.GET, FIXED_PATH, this::fixed);
    }

    private void fixed(RoutingContext ctx) {
        int bytes;
        try {
            List<String> given = ctx.queryParam("bytes");
            bytes = Integer.parseInt(given.isEmpty() ? "1024" : given.get(0));
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        if (bytes < 16 || bytes > MAX_BYTES) {
            throw new InvalidInput("bytes must be an integer from 16 to " + MAX_BYTES);
        }
        Responses.json(ctx, 200, bodies.computeIfAbsent(bytes, BenchRoutes::body));
    }

    /** {"data":[],"pad":"xxx…"} padded to exactly {@code size} bytes. */
    private static byte[] body(int size) {
        String head = "{\"data\":[],\"pad\":\"";
        String tail = "\"}";
        char[] pad = new char[Math.max(0, size - head.length() - tail.length())];
        Arrays.fill(pad, 'x');
        return (head + new String(pad) + tail).getBytes(StandardCharsets.US_ASCII);
    }
}
