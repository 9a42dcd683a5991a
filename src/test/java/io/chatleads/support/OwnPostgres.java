package io.chatleads.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A PostgreSQL cluster of the test's own, for fault tests that stop, restart or reconfigure it
 * (never the machine's shared server): initdb in a temporary directory, a free loopback port,
 * trust authentication, removed on close. Uses the binaries of {@code pg_config --bindir} (or
 * /usr/lib/postgresql/15/bin); as root (CI) it runs them as the {@code postgres} user, since
 * PostgreSQL refuses to run as root.
 */
public final class OwnPostgres implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;

    private OwnPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** A new cluster, started with {@code settings} (postgresql.conf names and values) on top of the defaults. */
    public static OwnPostgres start(Map<String, String> settings) {
        Path bin = binaries();
        assumeTrue(bin != null, "no PostgreSQL server binaries (initdb, pg_ctl) on this machine");
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("chatleads-own-pg");
            if (root) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            OwnPostgres cluster = new OwnPostgres(bin, dir, freePort(), root);
            cluster.run(60, bin.resolve("initdb").toString(), "-D", cluster.data.toString(), "-U", "postgres",
                    "--auth=trust", "--no-sync", "-E", "UTF8");
            Files.writeString(cluster.data.resolve("postgresql.conf"), "\ninclude 'chatleads-test.conf'\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            cluster.configure(settings);
            cluster.pgCtl("start");
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /**
     * A streaming replica of this cluster, as a cluster of its own: {@code pg_basebackup -R} (with a
     * replication slot, so the primary keeps the WAL a paused or stopped replica has not replayed)
     * into a new temporary directory, started as a hot standby on another free port. The primary
     * needs nothing set for it: initdb's defaults (wal_level replica, wal senders, {@code replication}
     * trusted on 127.0.0.1) suffice. Close it before this one.
     */
    public OwnPostgres startReplica() {
        try {
            Path replicaDir = Files.createTempDirectory("chatleads-own-pg-replica");
            if (asPostgresUser) {
                Files.setOwner(replicaDir, replicaDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
            }
            Files.setPosixFilePermissions(replicaDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            OwnPostgres replica = new OwnPostgres(bin, replicaDir, freePort(), asPostgresUser);
            // -c fast: a spread checkpoint would keep the copy waiting for minutes.
            int status = replica.run(180, bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                    "-U", "postgres", "-D", replica.data.toString(), "-R", "-X", "stream", "-c", "fast",
                    "-C", "-S", "chatleads_test_replica_" + replica.port);
            if (status != 0) {
                throw new IllegalStateException("pg_basebackup failed (" + status + "): " + replica.commands());
            }
            // The copy's settings are the primary's: its own port and socket directory instead.
            replica.configure(Map.of("hot_standby", "on"));
            replica.pgCtl("start");
            return replica;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String commands() {
        try {
            return Files.readString(dir.resolve("commands.log"));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    /** A URL for database {@code database} as the superuser, without sslmode (so pgjdbc's default, prefer). */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    public String adminUrl() {
        return url("postgres");
    }

    public Path log() {
        return dir.resolve("server.log");
    }

    /**
     * Replaces the test's settings (they take effect at the next start or restart). {@code ssl=on}
     * gets a self-signed certificate made with openssl.
     */
    public void configure(Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("port", Integer.toString(port));
        all.put("listen_addresses", "'127.0.0.1'");
        all.put("unix_socket_directories", "'" + dir + "'");
        all.put("fsync", "off");
        all.putAll(settings);
        if ("on".equals(all.get("ssl"))) {
            certificate();
        }
        StringBuilder conf = new StringBuilder();
        all.forEach((name, value) -> conf.append(name).append(" = ").append(value).append('\n'));
        try {
            Path file = data.resolve("chatleads-test.conf");
            Files.writeString(file, conf, StandardCharsets.UTF_8);
            chownToPostgres(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code pg_ctl restart -m fast}, waiting at most {@code seconds}: its exit status (0: it restarted). */
    public int restartFast(int seconds) {
        return run(seconds + 10, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log().toString(),
                "-w", "-t", Integer.toString(seconds), "-m", "fast", "restart");
    }

    public void stop() {
        run(70, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-m", "immediate", "stop");
    }

    /**
     * {@code pg_ctl stop -m fast}, as an operator stops it: every session is ended with 57P01
     * (admin_shutdown), and connecting is refused until {@link #startAgain}.
     */
    public void stopFast() {
        int status = run(70, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-m", "fast", "stop");
        if (status != 0) {
            throw new IllegalStateException("pg_ctl stop -m fast failed (" + status + "): " + tail());
        }
    }

    /** Starts the cluster again after a stop, with its data and settings as they were. */
    public void startAgain() {
        pgCtl("start");
    }

    /**
     * The server's ESTABLISHED TCP sockets on its port (from /proc/net/tcp), and the client backends
     * that finished start-up (pg_stat_activity, counting the connection that asks). Equal when no
     * connection sits in start-up.
     */
    public SocketsAndBackends socketsAndBackends() {
        // The asking connection is open while the sockets are counted, so that it is counted on both sides.
        try (Connection connection = DriverManager.getConnection(adminUrl());
             Statement statement = connection.createStatement()) {
            int sockets = establishedOnPort("/proc/net/tcp") + establishedOnPort("/proc/net/tcp6");
            try (ResultSet rows = statement.executeQuery(
                    "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")) {
                rows.next();
                return new SocketsAndBackends(sockets, rows.getInt(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the backends: " + e.getMessage(), e);
        }
    }

    public record SocketsAndBackends(int sockets, int backends) {
        public int inStartup() {
            return sockets - backends;
        }
    }

    public int queryInt(String sql) {
        try (Connection connection = DriverManager.getConnection(adminUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(adminUrl());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private int establishedOnPort(String table) {
        String localPort = String.format(":%04X", port);
        try {
            int count = 0;
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] fields = line.trim().split("\\s+");
                // sl local_address rem_address st ...; st 01 is ESTABLISHED
                if (fields.length > 3 && fields[1].endsWith(localPort) && fields[3].equals("01")) {
                    count++;
                }
            }
            return count;
        } catch (IOException e) {
            return 0; // no IPv6 table, say
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory; the OS cleans up what is left
            }
        }
    }

    private void pgCtl(String action) {
        int status = run(70, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log().toString(),
                "-w", "-t", "60", action);
        if (status != 0) {
            throw new IllegalStateException("pg_ctl " + action + " failed (" + status + "): " + tail());
        }
    }

    private void certificate() {
        Path key = data.resolve("server.key");
        if (Files.exists(key)) {
            return;
        }
        int status = run(60, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", data.resolve("server.crt").toString());
        // PostgreSQL refuses a key that others can read.
        if (status != 0 || run(10, "chmod", "600", key.toString()) != 0) {
            throw new IllegalStateException("openssl could not make a test certificate");
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void chownToPostgres(Path file) throws IOException {
        if (asPostgresUser) {
            Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        }
    }

    /** Runs a command (as the postgres user when this JVM is root); its exit status, or -1 when it overran. */
    private int run(int seconds, String... command) {
        List<String> line = new ArrayList<>();
        if (asPostgresUser) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("commands.log").toFile()))
                    .start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Path binaries() {
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() == 0 && Files.isExecutable(Path.of(out, "pg_ctl"))) {
                return Path.of(out);
            }
        } catch (IOException | InterruptedException ignored) {
            // no pg_config: the Debian location below
        }
        Path debian = Path.of("/usr/lib/postgresql/15/bin");
        return Files.isExecutable(debian.resolve("pg_ctl")) ? debian : null;
    }
}
