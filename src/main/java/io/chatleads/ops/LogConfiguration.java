package io.chatleads.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import org.slf4j.Logger;

/**
 * The logging set-up, in code rather than in a logback.xml: parsing XML was a fifth of a second of
 * every start. Found by logback through META-INF/services. Logs go to stderr, one line per event:
 * text by default, JSON with {@code CHATLEADS_LOG_FORMAT=json} (docs/operations.md, "Logs").
 * With {@code -Dlogback.configurationFile=FILE}, that file configures logging instead. Either way
 * every event first passes {@link SecretScrubbingFilter}.
 */
public final class LogConfiguration extends ContextAwareBase implements Configurator {

    static final String TEXT_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{24}%replace( [%X{requestId}]){' \\[\\]', ''} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        // Before any appender, whichever configuration follows: no log line carries a secret.
        SecretScrubbingFilter scrubbing = new SecretScrubbingFilter();
        scrubbing.setContext(context);
        scrubbing.start();
        context.addTurboFilter(scrubbing);
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // Logback's own status lines would go to stdout, where commands print their results (an id,
        // a secret) alone.
        NopStatusListener quiet = new NopStatusListener();
        context.getStatusManager().add(quiet);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        context.getLogger("io.vertx").setLevel(Level.WARN);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        // Read like logback.xml's ${CHATLEADS_LOG_FORMAT:-text}: a system property, else the variable.
        String format = System.getProperty("CHATLEADS_LOG_FORMAT", System.getenv("CHATLEADS_LOG_FORMAT"));
        Encoder<ILoggingEvent> encoder = switch (format == null ? "text" : format) {
            case "text" -> text(context);
            case "json" -> json(context);
            // any other value: no appender, as an unknown appender-ref had; serve refuses the setting
            default -> null;
        };
        if (encoder != null) {
            ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
            appender.setContext(context);
            appender.setName(format == null ? "text" : format);
            appender.setTarget("System.err");
            appender.setEncoder(encoder);
            appender.start();
            root.addAppender(appender);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static Encoder<ILoggingEvent> text(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.start();
        return encoder;
    }

    /**
     * One flat JSON object a line, as log stacks (Loki, Elasticsearch, Datadog) read them:
     * {@code timestamp} (ISO-8601, UTC, milliseconds), {@code level}, {@code logger}, {@code thread},
     * {@code message}, the MDC's {@code requestId}, each key-value pair of the event as a field of its
     * own type (the access line's {@code status} and {@code durationMs} are numbers), and
     * {@code stackTrace} when there is one. No nesting, no version field.
     */
    static Encoder<ILoggingEvent> json(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        LogstashFieldNames names = new LogstashFieldNames();
        names.setTimestamp("timestamp");
        names.setVersion(IGNORE);
        names.setLevelValue(IGNORE);
        names.setLogger("logger");
        names.setThread("thread");
        names.setStackTrace("stackTrace");
        encoder.setFieldNames(names);
        encoder.setTimeZone("UTC");
        encoder.setTimestampPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX");
        encoder.setIncludeContext(false);
        // The access line's request id is in the MDC too: one requestId field, not two.
        encoder.addExcludeKeyValueKeyName(io.chatleads.http.RequestContext.MDC_KEY);
        encoder.start();
        return encoder;
    }

    /** logstash-logback-encoder's name for "leave this field out". */
    private static final String IGNORE = "[ignore]";
}
