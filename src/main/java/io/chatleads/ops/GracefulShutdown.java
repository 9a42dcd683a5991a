package io.chatleads.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM (and Ctrl-C) stop the server gracefully and end the process with status 0, the status a
 * supervisor (systemd, Kubernetes) expects from a clean stop. A plain shutdown hook would do the
 * same work, but the JVM then exits with 143, which reads as a failure.
 */
public final class GracefulShutdown {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    private GracefulShutdown() {
    }

    /** Runs {@code stop} once, on SIGTERM/SIGINT (then exits 0) or at any other JVM exit. */
    public static void install(Runnable stop) {
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable once = () -> {
            if (stopped.compareAndSet(false, true)) {
                stop.run();
                log.info("stopped");
            }
        };
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    log.info("SIG{} received, shutting down", name);
                    // stop on a thread of our own: the signal thread must not block while requests drain
                    Thread stopping = new Thread(() -> {
                        try {
                            once.run();
                        } catch (RuntimeException e) {
                            log.error("shutdown failed", e);
                        } finally {
                            // a worker thread the server could not stop (an export to a stalled client) must not keep the JVM alive
                            System.exit(0);
                        }
                    }, "chatleads-shutdown");
                    stopping.start();
                });
            } catch (IllegalArgumentException e) {
                // the signal is unknown on this platform or taken by the JVM: the hook below still stops
                log.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(once, "chatleads-shutdown-hook"));
    }
}
