package io.iotgrid.sources;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The test broker itself: messages pass between Mosquitto's own clients, and it comes back after a SIGKILL. */
class MosquittoBrokerIT {

    @Test
    void when_killedAndRestarted_then_sameConfigurationServesAgain() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(MosquittoBroker.options().withPersistence())) {
            assertThat(roundTrip(broker, "a")).isEqualTo("a");
            long first = broker.pid();

            broker.kill();
            broker.restart();

            assertThat(broker.pid()).isNotEqualTo(first);
            assertThat(roundTrip(broker, "b")).isEqualTo("b");
        }
    }

    private static String roundTrip(MosquittoBroker broker, String message) throws Exception {
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
                "-t", "t/" + message, "-C", "1", "-W", "20", "-q", "1").start();
        try {
            // mosquitto_sub subscribes before it prints anything: publish until the one message it waits for lands.
            while (sub.isAlive()) {
                new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
                        "-t", "t/" + message, "-m", message, "-q", "1").start().waitFor(10, TimeUnit.SECONDS);
                sub.waitFor(200, TimeUnit.MILLISECONDS);
            }
            return new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } finally {
            sub.destroyForcibly();
        }
    }
}
