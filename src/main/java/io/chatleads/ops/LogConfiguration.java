package io.chatleads.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import org.slf4j.Logger;

/**
 * The logging set-up, in code rather than in a logback.xml: parsing XML was a fifth of a second of
 * every start. Found by logback through META-INF/services. Logs go to stderr, one line per event:
 * text by default, JSON with {@code CHATLEADS_LOG_FORMAT=json} (docs/operations.md, "Logs").
 * With {@code -Dlogback.configurationFile=FILE}, that file configures logging instead.
 */
public final class LogConfiguration extends ContextAwareBase implements Configurator {

    static final String TEXT_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{24}%replace( [%X{requestId}]){' \\[\\]', ''} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
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

    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.setWithMessage(false);
        encoder.start();
        return encoder;
    }
}
