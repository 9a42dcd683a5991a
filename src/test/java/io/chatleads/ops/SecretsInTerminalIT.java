package io.chatleads.ops;

import io.chatleads.support.JarProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20, point 8: with the database password in CHATLEADS_DB_URL, as user-info or as
 * {@code password=}, a start-up that cannot connect prints no password, whether through chatleads'
 * message, the driver's words inside it, or the driver's own logging, for {@code serve} and for a
 * command. The real jar, so that everything the process writes to the terminal is seen.
 */
class SecretsInTerminalIT {

    private static final String PASSWORD = "Tr0ub4dor-n3ver-printed";

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(String url, int expectedStatus, String... args) {
        try (JarProcess process = JarProcess.start(Map.of("CHATLEADS_DB_URL", url), args)) {
            int status = process.waitFor(Duration.ofSeconds(90));
            String terminal = process.stdout() + process.stderr();
            assertEquals(expectedStatus, status, terminal);
            assertFalse(terminal.contains(PASSWORD), "the password on the terminal: " + terminal);
            assertFalse(terminal.contains("Tr0ub4dor"), "part of the password on the terminal: " + terminal);
            return process.stderr();
        }
    }

    @Test
    void aPasswordAsUserInfoIsRefusedWithoutBeingPrinted() {
        int port = closedPort();
        for (String url : new String[] {"jdbc:postgresql://postgres:" + PASSWORD + "@127.0.0.1:" + port + "/db",
                "jdbc:postgresql://postgres:" + PASSWORD + "@127.0.0.1/db"}) {
            String err = run(url, 1, "serve", "--port", "0");
            assertTrue(err.startsWith("error: CHATLEADS_DB_URL jdbc:postgresql://postgres:****@127.0.0.1"), err);
            assertTrue(err.contains("a user name and password before the host"), err);
            assertEquals(1, err.lines().count(), err);
            run(url, 1, "owner", "create", "--email", "a@example.com");
        }
    }

    @Test
    void aPasswordParameterIsNotPrintedWhenTheDatabaseCannotBeReached() {
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/db?user=postgres&password=" + PASSWORD;
        String err = run(url, 1, "serve", "--port", "0");
        assertTrue(err.startsWith("error: cannot connect to database jdbc:postgresql://127.0.0.1:"), err);
        assertTrue(err.contains("password=****"), err);
        run(url, 1, "owner", "create", "--email", "a@example.com");
    }
}
