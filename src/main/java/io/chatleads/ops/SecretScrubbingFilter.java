package io.chatleads.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.chatleads.SecretScrubber;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Keeps secrets out of every log event of the JVM, whoever logs it (chatleads, Vert.x, Netty,
 * HikariCP, Flyway): an event whose message, arguments or throwable (with its causes) holds
 * anything {@link SecretScrubber} recognises (URL user-info, {@code password=…}, a {@code cl_…} key,
 * a {@code whsec_…} secret, the configured database password) is dropped and logged again, by the
 * same logger at the same level with the same MDC, with the message formatted and scrubbed and the
 * throwable {@link SecretScrubber#scrubbed}. Events without a secret pass untouched. Before any
 * appender, so no appender or encoder (text, JSON, a test's) ever sees the original.
 *
 * <p>A logback TurboFilter, asked before the event exists: for every logging call, the disabled ones
 * included, which are let through at once. The fluent API's key-value pairs are not looked at
 * (chatleads puts only route templates, statuses, durations and request ids there) and are not
 * carried over when an event is logged again.
 */
final class SecretScrubbingFilter extends TurboFilter {

    private static final String FQCN = SecretScrubbingFilter.class.getName();

    /** Set while this thread logs an event again, so that the scrubbed event is not examined twice. */
    private final ThreadLocal<Boolean> relogging = ThreadLocal.withInitial(() -> Boolean.FALSE);

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null && t == null) {
            return FilterReply.NEUTRAL; // isDebugEnabled() and the like: nothing to log yet
        }
        if (!level.isGreaterOrEqual(logger.getEffectiveLevel()) || relogging.get()) {
            return FilterReply.NEUTRAL;
        }
        var formatted = MessageFormatter.arrayFormat(format, params);
        String message = formatted.getMessage();
        // As logback does: a throwable given as the last argument is the event's throwable.
        Throwable thrown = t != null ? t : formatted.getThrowable();
        String scrubbedMessage = SecretScrubber.scrub(message);
        Throwable scrubbedThrown = SecretScrubber.scrubbed(thrown);
        if (scrubbedThrown == thrown && (message == null || message.equals(scrubbedMessage))) {
            return FilterReply.NEUTRAL;
        }
        relogging.set(Boolean.TRUE);
        try {
            // No arguments: the message is already formatted, and a "{}" in it stays as written.
            logger.log(marker, FQCN, Level.toLocationAwareLoggerInteger(level), scrubbedMessage, null, scrubbedThrown);
        } finally {
            relogging.set(Boolean.FALSE);
        }
        return FilterReply.DENY;
    }
}
