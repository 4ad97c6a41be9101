package io.iotgrid.sources;

import io.iotgrid.core.testing.Resources;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** What iot-grid logs at WARN and above while a test runs, as an operator would read it. */
final class WarningLog extends AbstractAppender {

    private final Queue<String> messages = new ConcurrentLinkedQueue<>();

    private WarningLog() {
        super("iot-grid-warnings-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    /** Collects from now until {@code resources} close at the end of the test. */
    static WarningLog capture(Resources resources) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        WarningLog log = new WarningLog();
        log.start();
        context.getConfiguration().getLoggerConfig("io.iotgrid").addAppender(log, Level.WARN, null);
        context.updateLoggers();
        resources.onClose(() -> {
            context.getConfiguration().getLoggerConfig("io.iotgrid").removeAppender(log.getName());
            context.updateLoggers();
        });
        return log;
    }

    /** The messages so far. */
    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void append(LogEvent event) {
        messages.add(event.getMessage().getFormattedMessage());
    }
}
