package io.chatleads.cli;

/** A command that cannot do what it was asked, for a reason the user can fix; exit status 2. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message, null, false, false);
    }
}
