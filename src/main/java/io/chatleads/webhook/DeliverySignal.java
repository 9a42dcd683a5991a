package io.chatleads.webhook;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes this process's worker when this process commits new due deliveries, so an event usually
 * leaves within milliseconds of its lead's commit. Only a hint: events committed by other
 * processes (other servers, command-line commands) are found by polling.
 */
final class DeliverySignal {

    private final Semaphore pending = new Semaphore(0);

    void signal() {
        // At most one wake-up is kept: the worker claims everything due when it wakes.
        if (pending.availablePermits() == 0) {
            pending.release();
        }
    }

    /** Waits until signalled or {@code millis} pass. */
    void await(long millis) throws InterruptedException {
        if (pending.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
            pending.drainPermits();
        }
    }
}
