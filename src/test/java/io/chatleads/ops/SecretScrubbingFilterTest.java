package io.chatleads.ops;

import io.chatleads.support.CapturedLogs;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The logging set-up's scrubbing, on the JVM's own logback (LogConfiguration installs it): an event
 * holding a secret in its message, its arguments or its throwable's causes reaches the appenders
 * only scrubbed, with its level, logger and MDC; an event without one reaches them untouched.
 */
class SecretScrubbingFilterTest {

    private static final Logger log = LoggerFactory.getLogger("io.chatleads.test.scrubbing");
    private static final String KEY = "cl_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1";

    @Test
    void secretsInMessagesArgumentsAndCausesAreScrubbedBeforeAnyAppender() {
        try (CapturedLogs logs = new CapturedLogs()) {
            MDC.put("requestId", "r-1");
            try {
                log.error("unhandled error on {} {}", "GET", "/api/v1/leads/" + KEY + "%ZZ",
                        new IllegalStateException("query failed", new SQLException("FATAL: for app:hunter2@db.internal", "28000")));
                log.warn("key {} and a literal {} that stays", KEY);
            } finally {
                MDC.remove("requestId");
            }
            List<String> rendered = logs.rendered();
            assertEquals(2, rendered.size(), rendered.toString());
            String error = rendered.get(0);
            assertTrue(error.startsWith("ERROR io.chatleads.test.scrubbing unhandled error on GET /api/v1/leads/cl_****%ZZ"), error);
            assertTrue(error.contains("mdc.requestId=r-1"), "the MDC stays: " + error);
            assertTrue(error.contains("java.lang.IllegalStateException: query failed")
                    && error.contains("java.sql.SQLException: FATAL: for app:****@db.internal"), error);
            assertFalse(error.contains(KEY) || error.contains("hunter2"), error);
            assertTrue(rendered.get(1).contains("key cl_**** and a literal {} that stays"), rendered.get(1));
        }
    }

    @Test
    void eventsWithoutSecretsAreTheOriginals() {
        IllegalStateException failure = new IllegalStateException("the get-leads page query failed");
        try (CapturedLogs logs = new CapturedLogs()) {
            log.warn("a PostgreSQL connection of event loop {} failed", "loop-1", failure);
            assertEquals(1, logs.events().size());
            assertEquals("a PostgreSQL connection of event loop {} failed", logs.events().get(0).getMessage(), "not re-formatted");
            assertSame(failure, ((ch.qos.logback.classic.spi.ThrowableProxy) logs.events().get(0).getThrowableProxy()).getThrowable());
        }
    }
}
