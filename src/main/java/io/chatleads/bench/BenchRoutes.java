package io.chatleads.bench;

import io.chatleads.Settings;
import io.chatleads.http.ApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

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

    private BenchRoutes() {
    }

    public static boolean enabled(Settings settings) {
        return settings.bool("CHATLEADS_BENCH_ENDPOINTS", false);
    }

    public static void installIfEnabled(Settings settings, RoutesConfig routes) {
        if (enabled(settings)) {
            routes.get(FIXED_PATH, new BenchRoutes()::fixed);
        }
    }

    private void fixed(Context ctx) {
        int bytes;
        try {
            bytes = Integer.parseInt(ctx.queryParamAsClass("bytes", String.class).getOrDefault("1024"));
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        if (bytes < 16 || bytes > MAX_BYTES) {
            throw ApiException.badRequest("bytes must be an integer from 16 to " + MAX_BYTES);
        }
        ctx.contentType("application/json").result(bodies.computeIfAbsent(bytes, BenchRoutes::body));
    }

    /** {"data":[],"pad":"xxx…"} padded to exactly {@code size} bytes (bench/experiments/vertx answers it too). */
    public static byte[] body(int size) {
        String head = "{\"data\":[],\"pad\":\"";
        String tail = "\"}";
        char[] pad = new char[Math.max(0, size - head.length() - tail.length())];
        Arrays.fill(pad, 'x');
        return (head + new String(pad) + tail).getBytes(StandardCharsets.US_ASCII);
    }
}
