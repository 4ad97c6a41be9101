package io.iotgrid.client;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.io.StringWriter;

/**
 * What the in-process members log from now until {@link #close()}, at INFO and above (what a member of the
 * distribution shows), with stack traces: the tests run with Hazelcast logging through Log4j 2.
 */
final class MemberLog implements AutoCloseable {

    private final StringWriter text = new StringWriter();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final LoggerConfig hazelcast;
    private final Level levelBefore;
    private final WriterAppender appender;

    MemberLog() {
        Configuration config = context.getConfiguration();
        appender = WriterAppender.newBuilder().setName("member-log-" + System.nanoTime()).setTarget(text)
                .setLayout(PatternLayout.newBuilder().withPattern("%-5level %c{1} - %msg%n%throwable").build())
                .build();
        appender.start();
        hazelcast = config.getLoggerConfig("com.hazelcast");
        levelBefore = hazelcast.getLevel();
        hazelcast.setLevel(Level.INFO);
        hazelcast.addAppender(appender, Level.INFO, null);
        context.updateLoggers();
    }

    String text() {
        synchronized (text) {
            return text.toString();
        }
    }

    @Override
    public void close() {
        hazelcast.removeAppender(appender.getName());
        hazelcast.setLevel(levelBefore);
        context.updateLoggers();
        appender.stop();
    }
}
