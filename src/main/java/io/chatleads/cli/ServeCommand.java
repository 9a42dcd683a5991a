package io.chatleads.cli;

import io.chatleads.app.Chatleads;
import io.chatleads.Settings;
import io.chatleads.app.Server;
import io.chatleads.ops.GracefulShutdown;
import io.chatleads.app.Startup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "serve", description = "Run the HTTP server (migrations run first).")
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    ChatleadsCommand root;

    @Option(names = "--port", paramLabel = "N", description = "Default: the PORT variable, else 8080.")
    Integer port;

    @Option(names = "--demo", description = "When the database has no owner yet, create demo data and print curl commands.")
    boolean demo;

    @Override
    public Integer call() {
        if (port != null && (port < 0 || port > 65535)) {
            throw new CliException("--port must be from 0 to 65535, got " + port);
        }
        Settings settings = root.settings();
        if (port != null) {
            settings = settings.withPort(port);
        }
        Startup.validateForServe(settings);
        // The database connects and migrates on a thread of its own while the HTTP server is built on
        // this one; the port is bound only once the database is ready, so no request sees it half-open.
        Chatleads app = Chatleads.openInBackground(settings);
        Server server;
        try {
            server = Server.prepare(settings, app);
        } catch (RuntimeException e) {
            try {
                // a database error is the one reported, as when the database opened before anything else
                app.awaitDatabase();
            } finally {
                app.close();
            }
            throw cannotStart(settings, e);
        }
        DemoData.Created demoData;
        try {
            app.awaitDatabase();
            demoData = demo ? DemoData.createIfEmpty(app, app.accounts()) : null;
        } catch (RuntimeException e) {
            server.close();
            app.close();
            throw e;
        }
        try {
            server.listen();
        } catch (RuntimeException e) {
            app.close();
            throw cannotStart(settings, e);
        }
        GracefulShutdown.install(() -> {
            server.close();
            app.close();
        });
        if (demo) {
            DemoData.printConsoleLogin(root.out, demoData, server.port());
        }
        root.out.println("chatleads listening on http://localhost:" + server.port());
        if (server.managementPort() != null) {
            root.out.println("health and metrics on http://localhost:" + server.managementPort());
        }
        if (demo) {
            DemoData.printInstructions(root.out, demoData, server.port());
        }
        return ChatleadsCommand.KEEP_RUNNING;
    }

    private static CliException cannotStart(Settings settings, RuntimeException e) {
        return new CliException("cannot start the HTTP server on port " + settings.port() + ": " + e.getMessage());
    }
}
