package io.chatleads.cli;

import io.chatleads.Settings;

/** The jar's entry point: the command line, on the settings of the environment. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int status = ChatleadsCommand.run(args, Settings::fromEnvironment, System.out, System.err);
        if (status != ChatleadsCommand.KEEP_RUNNING) {
            System.exit(status);
        }
    }
}
