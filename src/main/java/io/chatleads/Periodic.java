package io.chatleads;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A background task run every so often on its own daemon thread, for a server's housekeeping. */
public final class Periodic {

    private Periodic() {
    }

    /**
     * Runs {@code task} every {@code interval}, the first time one interval from now. A failure
     * goes to {@code onFailure} and the next run comes as planned: these tasks catch up by
     * themselves (the database may be briefly away). Close the result to stop.
     */
    public static AutoCloseable every(Duration interval, String threadName, Runnable task,
                                      Consumer<RuntimeException> onFailure) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                onFailure.accept(e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return executor::shutdownNow;
    }
}
