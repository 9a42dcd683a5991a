package io.chatleads.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error of every command ends with "(see --help)", so every command must answer --help: its
 * usage on stdout, status 0, without reading settings or opening a database.
 */
class CliHelpTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ChatleadsCommand.run(args, () -> {
                    throw new AssertionError("--help must not read settings");
                },
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The subcommand names a help text lists under "Commands:". */
    private static List<String> subcommands(String help) {
        List<String> names = new ArrayList<>();
        boolean listing = false;
        for (String line : help.lines().toList()) {
            if (line.equals("Commands:")) {
                listing = true;
            } else if (listing && line.matches("  \\S.*")) {
                names.add(line.strip().split("\\s+")[0]);
            } else if (listing && !line.startsWith("   ")) {
                // neither a command nor its description's continuation: the list has ended
                listing = false;
            }
        }
        return names;
    }

    @Test
    void everyCommandAndSubcommandAnswersHelp() {
        Deque<List<String>> toVisit = new ArrayDeque<>(List.of(List.of()));
        List<String> visited = new ArrayList<>();
        while (!toVisit.isEmpty()) {
            List<String> command = toVisit.pop();
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            Run run = run(args.toArray(String[]::new));
            String name = String.join(" ", command);
            assertEquals(0, run.status(), name + " --help: " + run);
            assertTrue(run.out().startsWith("Usage: chatleads" + (command.isEmpty() ? "" : " " + name)), name + ": " + run.out());
            assertEquals("", run.err(), name);
            visited.add(name);
            for (String sub : subcommands(run.out())) {
                List<String> child = new ArrayList<>(command);
                child.add(sub);
                toVisit.add(child);
            }
        }
        // The walk reached the leaves, not only the top level.
        assertTrue(visited.containsAll(Arrays.asList("lead import", "key revoke", "webhook deliveries", "dev seed", "serve")),
                visited.toString());
    }
}
