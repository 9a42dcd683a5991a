package io.chatleads.cli;

import io.chatleads.Settings;
import picocli.CommandLine.Command;

import java.util.Map;

@Command(name = "config", description = "Print the effective configuration, secrets masked.")
final class ConfigCommand implements Runnable {

    @picocli.CommandLine.ParentCommand
    ChatleadsCommand root;

    @Override
    public void run() {
        Settings settings = root.settings();
        // resolve the settings the server would reject at start, so a bad value shows up here too
        io.chatleads.app.Startup.validate(settings);
        for (Map.Entry<String, String> entry : settings.describe().entrySet()) {
            root.out.println(entry.getKey() + "=" + entry.getValue());
        }
    }
}
