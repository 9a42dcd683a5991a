package io.chatleads.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar target/chatleads.jar …} as a separate process, as an operator runs it: its own
 * environment (nothing inherited but PATH), stdout and stderr in files the test reads.
 */
public final class JarProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "chatleads.jar");
    private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)");

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JarProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static JarProcess start(Map<String, String> env, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run through 'mvn verify', which packages it first");
        }
        try {
            Path dir = Files.createTempDirectory("chatleads-jar");
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            builder.environment().putAll(env);
            return new JarProcess(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command that ends by itself; its exit status. */
    public int waitFor(Duration deadline) {
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running after " + deadline + "; stderr: " + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The public port, once the server says it is listening. */
    public int awaitListening(Duration deadline) {
        String out = await(text -> LISTENING.matcher(text).find(), this::stdout, deadline, "the server to listen");
        Matcher matcher = LISTENING.matcher(out);
        matcher.find();
        return Integer.parseInt(matcher.group(1));
    }

    public void awaitStderr(String fragment, Duration deadline) {
        await(text -> text.contains(fragment), this::stderr, deadline, "'" + fragment + "' on stderr");
    }

    private String await(Predicate<String> condition, java.util.function.Supplier<String> source, Duration deadline, String what) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            String text = source.get();
            if (condition.test(text)) {
                return text;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the process ended (status " + process.exitValue() + ") before " + what
                        + "; stdout: " + stdout() + " stderr: " + stderr());
            }
            sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; stdout: " + stdout() + " stderr: " + stderr());
    }

    /** SIGTERM, what {@code systemctl stop} and {@code docker stop} send. */
    public void terminate() {
        process.destroy();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
