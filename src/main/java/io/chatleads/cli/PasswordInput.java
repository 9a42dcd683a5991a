package io.chatleads.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A password for {@code owner create} and {@code owner set-password}: from standard input with
 * {@code --password-stdin} (scripts: {@code printf %s "$PW" | chatleads owner set-password …}),
 * else typed at a prompt without echo when there is a terminal. Never from an argument, which
 * other users of the machine can read in the process list.
 */
final class PasswordInput {

    private PasswordInput() {
    }

    /** The password, or null when there is neither --password-stdin nor a terminal to ask on. */
    static String read(boolean fromStdin, InputStream stdin) {
        if (fromStdin) {
            return readAll(stdin);
        }
        Console terminal = System.console();
        if (terminal == null || !isTerminal(terminal)) {
            return null;
        }
        char[] first = terminal.readPassword("Password (at least 10 characters): ");
        char[] again = terminal.readPassword("The same password again: ");
        if (first == null || again == null) {
            throw new CliException("no password was typed");
        }
        try {
            if (!Arrays.equals(first, again)) {
                throw new CliException("the two passwords differ");
            }
            return new String(first);
        } finally {
            Arrays.fill(first, ' ');
            Arrays.fill(again, ' ');
        }
    }

    /** From JDK 22 on, System.console() exists even with redirected input: only a real terminal may be asked. */
    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 there is a Console only when there is a terminal
        }
    }

    /** All of standard input but one final line break, which `echo` adds. */
    private static String readAll(InputStream stdin) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            stdin.transferTo(bytes);
            String text = bytes.toString(StandardCharsets.UTF_8);
            if (text.endsWith("\r\n")) {
                return text.substring(0, text.length() - 2);
            }
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new CliException("cannot read the password from standard input: " + e.getMessage());
        }
    }
}
