package io.chatleads.app;

import io.chatleads.Settings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks, before anything opens, the settings that would otherwise fail later and less clearly. */
public final class Startup {

    private Startup() {
    }

    /**
     * Throws {@link Settings.SettingsException} with one line naming the first bad setting. Reads
     * every setting through the same method the server reads it with, so {@code config} and
     * {@code serve} refuse exactly what the server would, before a database is opened or created.
     */
    public static void validate(Settings settings) {
        ServerConfig.read(settings);
    }

    /** {@link #validate} plus the ports: what {@code serve} checks before it opens anything. */
    public static void validateForServe(Settings settings) {
        validate(settings);
        requireFreePort("port", settings.port());
        if (!settings.string("CHATLEADS_MANAGEMENT_PORT", "").isEmpty()) {
            requireFreePort("CHATLEADS_MANAGEMENT_PORT", settings.integer("CHATLEADS_MANAGEMENT_PORT", 0, 0, 65535));
        }
    }

    /**
     * Fails with one line when {@code port} cannot be bound. Checked before anything opens (the
     * database is created and migrated first); the race with another process taking the port in
     * between ends in {@code serve}'s own "cannot start the HTTP server" line.
     */
    public static void requireFreePort(String what, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new Settings.SettingsException(what + " " + port + " is already in use (" + e.getMessage() + ")");
        }
    }
}
