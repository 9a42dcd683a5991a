package io.chatleads.http;

import io.chatleads.Settings;

/**
 * The hardening limits of the HTTP server and its response compression, read from settings (see
 * Settings' definitions). {@code compressionMinBytes} is -1 when compression is off.
 */
public record ServerLimits(
        int idleTimeoutSeconds,
        int maxHeaderBytes,
        int maxBodyBytes,
        int shutdownTimeoutSeconds,
        int compressionMinBytes) {

    /**
     * Where compressing starts to pay: an answer below one TCP segment (about 1,400 bytes on an
     * Ethernet path) goes out in one packet either way, so gzip would only cost CPU on it.
     * BENCHMARKS.md (compression) has what compressing costs the hot page (10 leads, about 2 KB).
     */
    static final int DEFAULT_COMPRESSION_MIN_BYTES = 1400;

    public static ServerLimits from(Settings settings) {
        boolean compression = settings.bool("CHATLEADS_HTTP_COMPRESSION", true);
        int minBytes = settings.integer("CHATLEADS_HTTP_COMPRESSION_MIN_BYTES", DEFAULT_COMPRESSION_MIN_BYTES, 0, 100 * 1024 * 1024);
        return new ServerLimits(
                settings.integer("CHATLEADS_HTTP_IDLE_TIMEOUT_SECONDS", 30, 1, 3600),
                settings.integer("CHATLEADS_HTTP_MAX_HEADER_BYTES", 16 * 1024, 1024, 1024 * 1024),
                settings.integer("CHATLEADS_HTTP_MAX_BODY_BYTES", 1024 * 1024, 1024, 100 * 1024 * 1024),
                settings.integer("CHATLEADS_SHUTDOWN_TIMEOUT_SECONDS", 20, 0, 3600),
                compression ? minBytes : -1);
    }

    /** Whether answers to clients that accept gzip are compressed (those of at least {@link #compressionMinBytes}). */
    public boolean compresses() {
        return compressionMinBytes >= 0;
    }
}
