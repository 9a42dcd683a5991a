package io.chatleads.ops;

import io.chatleads.Settings;
import io.chatleads.http.ServerLimits;

/** Checks, before anything opens, the settings that would otherwise fail later and less clearly. */
public final class Startup {

    private Startup() {
    }

    /** Throws {@link Settings.SettingsException} with one line naming the first bad setting. */
    public static void validate(Settings settings) {
        ServerLimits.from(settings);
        settings.choice("CHATLEADS_LOG_FORMAT", "text", "text", "json");
        if (!settings.string("CHATLEADS_MANAGEMENT_PORT", "").isEmpty()) {
            int management = settings.integer("CHATLEADS_MANAGEMENT_PORT", 0, 0, 65535);
            if (management != 0 && management == settings.port()) {
                throw new Settings.SettingsException("CHATLEADS_MANAGEMENT_PORT must differ from the public port " + settings.port());
            }
        }
        settings.integer("CHATLEADS_HEALTH_TIMEOUT_MILLIS", 2000, 100, 60_000);
    }
}
