package io.chatleads.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Progress of a long command, always on stderr (stdout may be the data: {@code lead export} to
 * stdout stays clean CSV). On a terminal one line redrawn four times a second: rows done, rate,
 * and when the total is known, how far and about how long is left. Elsewhere (a log, CI, a pipe)
 * one plain line every five seconds, so a short job prints nothing but its summary. Hand-rolled:
 * a progress library brings a terminal library (JLine) into the jar for one line of text.
 *
 * <p>Progress is read, not pushed: the command hands over a counter the work updates anyway, and a
 * daemon thread samples it, so the work pays nothing per row.
 */
final class Progress implements AutoCloseable {

    static final long TERMINAL_INTERVAL_MS = 250;
    static final long LINE_INTERVAL_MS = 5_000;
    private static final String CLEAR_TO_END = "\u001b[K";
    private static final int BAR = 20;

    private final PrintStream err;
    private final boolean terminal;
    private final String verb;
    private final LongSupplier rows;
    private final long total;
    private final DoubleSupplier fraction;
    private final LongSupplier nanos;
    private final long started;
    private ScheduledExecutorService ticker;
    private boolean drawn;

    /**
     * @param total    the rows there are to do, or -1 when unknown
     * @param fraction how much of the work is done, 0 to 1, when the rows' total is unknown (bytes of
     *                 a file read, say); null when unknown too: then there is no estimate of time left
     */
    Progress(PrintStream err, boolean terminal, String verb, LongSupplier rows, long total, DoubleSupplier fraction,
             LongSupplier nanos) {
        this.err = err;
        this.terminal = terminal;
        this.verb = verb;
        this.rows = rows;
        this.total = total;
        this.fraction = fraction;
        this.nanos = nanos;
        this.started = nanos.getAsLong();
    }

    /** Shows progress on the command's stderr from now on, unless {@code quiet}. */
    static Progress start(ChatleadsCommand root, boolean quiet, String verb, LongSupplier rows, long total, DoubleSupplier fraction) {
        Progress progress = new Progress(root.err, isTerminal(root.err), verb, rows, total, fraction, System::nanoTime);
        if (!quiet) {
            progress.every(progress.terminal ? TERMINAL_INTERVAL_MS : LINE_INTERVAL_MS);
        }
        return progress;
    }

    /** Draws (or prints) the current state every {@code millis}, the first time after one interval. */
    void every(long millis) {
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    synchronized void tick() {
        if (terminal) {
            err.print("\r" + line() + CLEAR_TO_END);
        } else {
            err.println(line());
        }
        err.flush();
        drawn = true;
    }

    /** "importing: 12,000 rows, 3,871 rows/s, 40% [########------------], about 5 s left". */
    String line() {
        long done = rows.getAsLong();
        double seconds = seconds();
        StringBuilder line = new StringBuilder(verb).append(": ").append(number(done));
        if (total >= 0) {
            line.append(" of ").append(number(total));
        }
        line.append(done == 1 && total < 0 ? " row, " : " rows, ").append(number(Math.round(done / seconds))).append(" rows/s");
        double part = total > 0 ? (double) done / total : total == 0 ? 1 : fraction != null ? fraction.getAsDouble() : -1;
        if (part > 0) {
            part = Math.min(1, part);
            line.append(", ").append((int) (part * 100)).append('%');
            if (terminal) {
                int filled = (int) Math.round(part * BAR);
                line.append(" [").append("#".repeat(filled)).append("-".repeat(BAR - filled)).append(']');
            }
            line.append(", about ").append(duration(seconds * (1 - part) / part)).append(" left");
        }
        return line.toString();
    }

    /** "4 rows in 0.3 s, 13 rows/s": for the command's last line. */
    String summary() {
        long done = rows.getAsLong();
        double seconds = seconds();
        return number(done) + (done == 1 ? " row" : " rows") + " in "
                + String.format(Locale.ROOT, "%.1f", seconds) + " s, " + number(Math.round(done / seconds)) + " rows/s";
    }

    private double seconds() {
        // At least a millisecond, so that a rate is always a number.
        return Math.max(1_000_000L, nanos.getAsLong() - started) / 1e9;
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s / 60 % 60 + " min";
    }

    /** Stops the updates and, on a terminal, clears the line, so the summary starts on a clean line. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (terminal && drawn) {
                err.print("\r" + CLEAR_TO_END);
                err.flush();
            }
        }
    }

    /**
     * Whether the process's own stderr is a terminal. Java has no direct test: System.console()
     * answers for stdin and stdout, and is null exactly when stdout is redirected, the case that
     * matters here ({@code lead export > leads.csv}). So on Linux, where fd 2 points to a
     * {@code /dev/pts} or {@code /dev/tty} device; elsewhere, the console.
     */
    static boolean isTerminal(PrintStream err) {
        if (err != System.err || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
