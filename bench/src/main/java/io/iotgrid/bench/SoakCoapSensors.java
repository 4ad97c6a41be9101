package io.iotgrid.bench;

import io.iotgrid.simulator.SensorSimulator;
import io.iotgrid.simulator.SimulationSettings;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@link SoakBenchmark}'s CoAP sensors: a {@link SensorSimulator} in a JVM of its own, so that the benchmark can
 * kill the server with SIGKILL and start it again on the same port. Arguments: port, sensors, places, readings per
 * second per sensor, share of bad payloads, seed, window size in ms. It starts paused and tells its parent
 * {@code READY}; then it takes commands:
 * <ul>
 *   <li>{@code observers}: answers {@code OBSERVERS <n>}, the observe relations it holds;</li>
 *   <li>{@code resume}: publishes at the rate from now on;</li>
 *   <li>{@code pause}: stops publishing, then answers one {@code W <window start>/<sensor> <readings>} per sensor
 *   window and {@code PAUSED <readings> <bad payloads> <newest event time>}: what it offered, counted in full
 *   although {@code published()} keeps only the latest readings.</li>
 * </ul>
 * It exits at the end of stdin.
 */
final class SoakCoapSensors {

    private SoakCoapSensors() {
    }

    public static void main(String[] args) throws Exception {
        SimulationSettings settings = SimulationSettings.builder()
                .set(SimulationSettings.PORT, Integer.parseInt(args[0]))
                .set(SimulationSettings.SENSORS, Integer.parseInt(args[1]))
                .set(SimulationSettings.PLACES, Integer.parseInt(args[2]))
                .set(SimulationSettings.READINGS_PER_SECOND, Double.parseDouble(args[3]))
                .set(SimulationSettings.BAD_PAYLOAD_SHARE, Double.parseDouble(args[4]))
                .set(SimulationSettings.SEED, Long.parseLong(args[5]))
                .build();
        long windowMillis = Long.parseLong(args[6]);
        try (SensorSimulator sensors = SensorSimulator.start(settings)) {
            // Paused until the parent says so: readings nobody observes yet would only count as lost.
            sensors.pause();
            PublishedCount offered = new PublishedCount(sensors::published, windowMillis);
            ScheduledExecutorService counter = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "soak-coap-count");
                t.setDaemon(true);
                return t;
            });
            // Often enough that the history never fills between two counts.
            counter.scheduleWithFixedDelay(() -> {
                synchronized (offered) {
                    offered.update();
                }
            }, 1, 1, TimeUnit.SECONDS);
            ChildJvm.tell("READY " + sensors.port());
            ChildJvm.serveCommands(command -> {
                switch (command) {
                    case "observers" -> ChildJvm.tell("OBSERVERS " + sensors.observers());
                    case "resume" -> sensors.resume();
                    case "pause" -> {
                        sensors.pause();
                        synchronized (offered) {
                            offered.update();
                            offered.byWindow().forEach((window, n) -> ChildJvm.tell("W " + window + ' ' + n));
                            ChildJvm.tell("PAUSED " + offered.count() + ' ' + sensors.badPayloads() + ' '
                                    + offered.newest());
                        }
                    }
                    default -> ChildJvm.tell("UNKNOWN " + command);
                }
            });
            counter.shutdownNow();
        }
        System.exit(0);
    }
}
