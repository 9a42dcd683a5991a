package io.chatleads.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * "Did you mean" for a mistyped option or command. picocli's own suggestions cover only an
 * unmatched argument, while a mistyped required option ({@code --chatbt}) surfaces as "Missing
 * required option '--chatbot'" (and, with unmatched options taken as positional parameters, as
 * whatever comes next): so every argument that looks like an option but is none is checked here,
 * whatever error picocli reports, and so is an unknown command.
 */
final class Suggestions {

    private Suggestions() {
    }

    /** One line that names the likely mistake and what was probably meant, when something close exists. */
    static Optional<String> of(ParameterException error, String[] args) {
        CommandLine where = error.getCommandLine();
        CommandSpec spec = where.getCommandSpec();
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.equals("--")) {
                continue;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (known(spec, name)) {
                continue;
            }
            List<String> close = closest(name, longOptions(spec));
            if (!close.isEmpty()) {
                return Optional.of("unknown option '" + name + "' for '" + spec.qualifiedName() + "'; did you mean "
                        + quoted(close) + "?");
            }
        }
        if (error instanceof UnmatchedArgumentException unmatched && !where.getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty()) {
            String command = unmatched.getUnmatched().get(0);
            List<String> close = closest(command, where.getSubcommands().keySet());
            if (!command.startsWith("-") && !close.isEmpty()) {
                return Optional.of("unknown command '" + command + "' for '" + spec.qualifiedName() + "'; did you mean "
                        + quoted(close) + "?");
            }
        }
        return Optional.empty();
    }

    /** An option of this command or of one it is a subcommand of. */
    private static boolean known(CommandSpec spec, String name) {
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            if (s.optionsMap().containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> longOptions(CommandSpec spec) {
        Set<String> names = new TreeSet<>();
        spec.optionsMap().keySet().stream().filter(n -> n.startsWith("--")).forEach(names::add);
        return names;
    }

    /**
     * The candidates nearest to {@code typed}: at most one edit away for short names, two for
     * names of five characters or more (an adjacent swap counts as one edit), or that it begins.
     */
    static List<String> closest(String typed, Set<String> candidates) {
        String word = strip(typed);
        int limit = word.length() >= 5 ? 2 : 1;
        int best = Integer.MAX_VALUE;
        List<String> nearest = new ArrayList<>();
        for (String candidate : candidates) {
            String other = strip(candidate);
            int distance = word.length() >= 3 && other.startsWith(word) ? 1 : distance(word, other);
            if (distance > limit || distance > best) {
                continue;
            }
            if (distance < best) {
                best = distance;
                nearest.clear();
            }
            nearest.add(candidate);
        }
        return nearest.size() > 3 ? List.of() : nearest;
    }

    private static String strip(String name) {
        return name.replaceFirst("^-+", "");
    }

    /** Edits (insert, delete, replace, swap two neighbours) from {@code a} to {@code b}. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String quoted(List<String> names) {
        return String.join(" or ", names.stream().map(n -> "'" + n + "'").toList());
    }
}
