package io.chatleads.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting, in tests, for something another process or thread brings about: asked every 100 ms. */
public final class Poll {

    private static final long EVERY_MILLIS = 100;

    private Poll() {
    }

    /** Returns once {@code condition} holds; fails naming {@code what} if it does not within {@code within}. */
    public static void until(Duration within, String what, BooleanSupplier condition) {
        poll(within, what, condition, false);
    }

    /**
     * {@link #until}, a {@link RuntimeException} from {@code condition} counting as "not yet": for
     * a server or a database still on its way back.
     */
    public static void untilAnswered(Duration within, String what, BooleanSupplier condition) {
        poll(within, what, condition, true);
    }

    private static void poll(Duration within, String what, BooleanSupplier condition, boolean failuresMeanNotYet) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                if (!failuresMeanNotYet) {
                    throw notYet;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(EVERY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
