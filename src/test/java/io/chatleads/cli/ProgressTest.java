package io.chatleads.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What progress says, on a terminal and off one, with a clock the test moves. */
class ProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong rows = new AtomicLong();

    private Progress progress(boolean terminal, long total, java.util.function.DoubleSupplier fraction) {
        return new Progress(err, terminal, "importing", rows::get, total, fraction, nanos::get);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void after(double seconds, long done) {
        nanos.addAndGet((long) (seconds * 1e9));
        rows.set(done);
    }

    @Test
    void rowsAndRateWhenNothingTellsHowMuchIsLeft() {
        Progress progress = progress(false, -1, null);
        after(2, 4_000);
        assertEquals("importing: 4,000 rows, 2,000 rows/s", progress.line());
        assertEquals("4,000 rows in 2.0 s, 2,000 rows/s", progress.summary());
    }

    @Test
    void aKnownTotalGivesHowFarAndTimeLeft() {
        Progress progress = progress(false, 10_000, null);
        after(2, 4_000);
        assertEquals("importing: 4,000 of 10,000 rows, 2,000 rows/s, 40%, about 3 s left", progress.line());
        after(398, 5_000);
        assertEquals("importing: 5,000 of 10,000 rows, 13 rows/s, 50%, about 6 min 40 s left", progress.line());
    }

    @Test
    void theShareOfTheFileReadStandsInForAnUnknownTotal() {
        Progress progress = progress(false, -1, () -> 0.25);
        after(2, 1);
        assertEquals("importing: 1 row, 1 rows/s, 25%, about 6 s left", progress.line());
    }

    @Test
    void offATerminalEachUpdateIsAPlainLine() {
        Progress progress = progress(false, -1, null);
        after(5, 100);
        progress.tick();
        after(5, 200);
        progress.tick();
        progress.close();
        assertEquals("importing: 100 rows, 20 rows/s\nimporting: 200 rows, 20 rows/s\n", printed());
    }

    @Test
    void onATerminalOneLineIsRedrawnWithABarAndClearedAtTheEnd() {
        Progress progress = progress(true, 1_000, null);
        after(1, 250);
        progress.tick();
        after(1, 500);
        progress.tick();
        progress.close();
        assertEquals("\rimporting: 250 of 1,000 rows, 250 rows/s, 25% [#####---------------], about 3 s left\u001b[K"
                + "\rimporting: 500 of 1,000 rows, 250 rows/s, 50% [##########----------], about 2 s left\u001b[K"
                + "\r\u001b[K", printed());
    }

    @Test
    void updatesComeOnTheirOwnUntilClosed() throws InterruptedException {
        Progress progress = new Progress(err, false, "exporting", rows::get, -1, null, System::nanoTime);
        rows.set(7);
        progress.every(10);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (printed().lines().count() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        progress.close();
        assertTrue(printed().lines().count() >= 2, printed());
        assertTrue(printed().lines().allMatch(line -> line.startsWith("exporting: 7 rows, ")), printed());
        String closed = printed();
        Thread.sleep(100);
        assertEquals(closed, printed(), "nothing after close");
    }

    @Test
    void offATerminalAnUpdateEveryFewSecondsOnATerminalSeveralASecond() {
        assertEquals(5_000, Progress.LINE_INTERVAL_MS);
        assertEquals(250, Progress.TERMINAL_INTERVAL_MS);
        assertFalse(Progress.isTerminal(err), "a stream that is not the process's stderr is no terminal");
    }
}
