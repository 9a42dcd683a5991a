package io.chatleads.http;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;

import java.util.Arrays;
import java.util.Objects;

/**
 * Which network transport a Vert.x instance runs on, for the line {@code serve} logs at start.
 * Native epoll carries about a fifth more requests on the same loops than Java NIO (BENCHMARKS.md),
 * and without its library for the machine's architecture Vert.x falls back to NIO silently: this
 * is how an operator sees which one runs. The jar ships epoll for linux x86-64 and aarch64.
 */
public final class Transports {

    private Transports() {
    }

    /** {@code epoll}, {@code io_uring}, {@code kqueue} or {@code nio}. */
    public static String name(Vertx vertx) {
        // Vert.x 5 has no public getter for the transport in use, only for whether it is native;
        // the internal one returns the very implementation object each Transport constant holds.
        Object running = ((VertxInternal) vertx).transport();
        return Arrays.stream(new Transport[]{Transport.EPOLL, Transport.IO_URING, Transport.KQUEUE, Transport.NIO})
                .filter(Objects::nonNull)
                .filter(transport -> transport.available() && transport.implementation() == running)
                .map(Transport::name)
                .findFirst()
                .orElse(running.getClass().getSimpleName());
    }

    /** The name, and for NIO why no native transport runs: "epoll", "nio (native transport unavailable: …)". */
    public static String describe(Vertx vertx) {
        String name = name(vertx);
        if (vertx.isNativeTransportEnabled()) {
            return name;
        }
        Throwable cause = vertx.unavailableNativeTransportCause();
        return cause == null ? name : name + " (native transport unavailable: " + cause + ")";
    }
}
