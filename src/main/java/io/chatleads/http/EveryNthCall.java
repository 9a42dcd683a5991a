package io.chatleads.http;

/**
 * Says yes once every {@code n} calls: how the rate limiters sweep their stale keys, bounding
 * memory without a background thread.
 */
final class EveryNthCall {

    private final int n;
    private int calls;

    EveryNthCall(int n) {
        this.n = n;
    }

    synchronized boolean due() {
        if (++calls < n) {
            return false;
        }
        calls = 0;
        return true;
    }
}
