package io.chatleads.cli;

/** "1 lead", "2 leads": counts as a person writes them. */
final class Plural {

    private Plural() {
    }

    /** {@code count} and {@code noun}, with an s unless the count is one. */
    static String of(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
