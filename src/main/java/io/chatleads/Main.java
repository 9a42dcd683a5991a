package io.chatleads;

import io.chatleads.cli.ChatleadsCommand;

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
