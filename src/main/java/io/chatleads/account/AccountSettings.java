package io.chatleads.account;

import io.chatleads.Settings;

import java.time.Duration;

/**
 * The console's account settings (docs/operations.md): how long a session lives, and whether
 * anyone who reaches the console may create an owner account.
 */
public record AccountSettings(Duration sessionIdle, Duration sessionLifetime, boolean signUpAllowed, Duration cacheTtl) {

    public static AccountSettings from(Settings settings, Duration cacheTtl) {
        return new AccountSettings(
                Duration.ofMinutes(settings.integer("CHATLEADS_SESSION_IDLE_MINUTES", 60, 1, 43_200)),
                Duration.ofHours(settings.integer("CHATLEADS_SESSION_MAX_HOURS", 24, 1, 8_760)),
                settings.bool("CHATLEADS_CONSOLE_SIGN_UP", false),
                cacheTtl);
    }

    /** The defaults, without a session cache: for the command line and tests. */
    public static AccountSettings defaults() {
        return new AccountSettings(Duration.ofMinutes(60), Duration.ofHours(24), false, Duration.ZERO);
    }
}
