package io.iotgrid.sources.impl;

import com.hazelcast.jet.core.test.TestProcessorContext;
import com.hazelcast.jet.pipeline.SourceBuilder.SourceBuffer;
import com.hazelcast.logging.AbstractLogger;
import com.hazelcast.logging.LogEvent;
import io.iotgrid.core.RawReading;
import io.iotgrid.simulator.SensorSimulator;
import io.iotgrid.simulator.SimulationSettings;
import io.iotgrid.sources.CoapObserveSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(20)
class CoapObserveContextTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final CapturingLogger logger = new CapturingLogger();
    private final ListBuffer buffer = new ListBuffer();
    private SensorSimulator simulator;

    @AfterEach
    void stopSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void when_firstFillBuffer_then_observesEveryResourceAndDestroyDeregisters() {
        simulator = SensorSimulator.start(settings(2, 10));
        CoapObserveContext context = context(CoapObserveSettings.of(simulator.uris().toArray(String[]::new)));
        try {
            assertThat(simulator.observers()).as("observers before the first fillBuffer").isZero();

            await().atMost(WAIT).untilAsserted(() -> {
                context.fillBuffer(buffer);
                assertThat(buffer.items.stream().map(RawReading::source).distinct())
                        .containsExactlyInAnyOrderElementsOf(simulator.uris());
            });
            assertThat(simulator.observers()).isEqualTo(2);
        } finally {
            context.destroy();
        }
        // destroy waited for the servers to answer the cancellations, so the relations are already gone.
        assertThat(simulator.observers()).isZero();
        assertThat(logger.warnings).isEmpty();
    }

    @Test
    void when_queueFull_then_dropsCountedAndWarnedOnce() {
        simulator = SensorSimulator.start(settings(3, 100));
        CoapObserveContext context = context(CoapObserveSettings.of(simulator.uris().toArray(String[]::new))
                .withQueueCapacity(2));
        try {
            context.fillBuffer(buffer);
            await().atMost(WAIT).until(() -> context.dropped() >= 10);

            assertThat(logger.warnings).filteredOn(w -> w.contains("because the queue of 2 is full"))
                    .as("warnings are rate-limited").hasSize(1);
            buffer.items.clear();
            context.fillBuffer(buffer);
            assertThat(buffer.items).hasSizeLessThanOrEqualTo(2);
        } finally {
            context.destroy();
        }
        assertThat(logger.warnings)
                .anyMatch(w -> w.matches("Dropped \\d+ notifications in total because the queue of 2 was full"));
    }

    @Test
    void when_resourceMissing_then_warningNamesUriAndNothingIsEmitted() {
        simulator = SensorSimulator.start(settings(1, 10));
        String missing = "coap://127.0.0.1:" + simulator.port() + "/sensors/nope";
        CoapObserveContext context = context(CoapObserveSettings.of(missing));
        try {
            await().atMost(WAIT).untilAsserted(() -> {
                context.fillBuffer(buffer);
                assertThat(logger.warnings).anyMatch(w -> w.contains(missing) && w.contains("4.04"));
            });
            context.fillBuffer(buffer);
            assertThat(buffer.items).isEmpty();
        } finally {
            context.destroy();
        }
        assertThat(logger.warnings).as("an ended relation is not cancelled on the server")
                .noneMatch(w -> w.startsWith("Not every server confirmed"));
    }

    @Test
    void when_destroyedBeforeFirstFillBuffer_then_nothingToRelease() {
        simulator = SensorSimulator.start(settings(1, 10));
        CoapObserveContext context = context(CoapObserveSettings.of(simulator.uris().get(0)));

        context.destroy();

        assertThat(simulator.observers()).isZero();
        assertThat(logger.warnings).isEmpty();
    }

    private CoapObserveContext context(CoapObserveSettings settings) {
        return new CoapObserveContext(new TestProcessorContext().setLogger(logger), settings);
    }

    private static SimulationSettings settings(int sensors, double readingsPerSecond) {
        return SimulationSettings.defaults().withSensors(sensors).withReadingsPerSecond(readingsPerSecond);
    }

    /** What Jet's source buffer would emit; a stream source never closes it. */
    private static final class ListBuffer implements SourceBuffer<RawReading> {
        final List<RawReading> items = new ArrayList<>();

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public void close() {
            throw new UnsupportedOperationException("a stream source does not close its buffer");
        }

        @Override
        public void add(RawReading item) {
            items.add(item);
        }
    }

    /** Keeps the messages logged at WARNING or above, from any thread. */
    private static final class CapturingLogger extends AbstractLogger {
        final List<String> warnings = new CopyOnWriteArrayList<>();

        @Override
        public void log(Level level, String message) {
            log(level, message, null);
        }

        @Override
        public void log(Level level, String message, Throwable thrown) {
            if (level.intValue() >= Level.WARNING.intValue()) {
                warnings.add(message);
            }
        }

        @Override
        @SuppressWarnings("deprecation") // still abstract in ILogger, so it must be implemented
        public void log(LogEvent logEvent) {
            log(logEvent.getLogRecord().getLevel(), logEvent.getLogRecord().getMessage(),
                    logEvent.getLogRecord().getThrown());
        }

        @Override
        public Level getLevel() {
            return Level.ALL;
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }
    }
}
