package io.iotgrid.simulator;

/**
 * What a {@link SensorSimulator} simulates and where it listens.
 * <p>
 * {@code SimulationSettings.defaults().withSensors(3).withReadingsPerSecond(5)} gives 3 sensors in 3 places,
 * each publishing 5 readings a second on an ephemeral loopback port.
 *
 * @param sensors           number of sensors, {@code s-1} to {@code s-<sensors>}; default 12
 * @param places            number of places, {@code p-1} to {@code p-<places>}, sensors spread round-robin;
 *                          default 3
 * @param readingsPerSecond readings each sensor publishes per second, above 0 and at most
 *                          {@value #MAX_READINGS_PER_SECOND}; default 2.0
 * @param host              address the CoAP server binds to; default {@code 127.0.0.1}
 * @param port              UDP port the CoAP server binds to, 0 for an ephemeral one; default 0
 * @param seed              seed of the random walks: the same seed gives the same sequence of values; default 42
 */
public record SimulationSettings(int sensors, int places, double readingsPerSecond, String host, int port,
                                 long seed) {

    /** Highest rate per sensor: beyond it observe notifications are mostly skipped anyway (latest-state). */
    public static final double MAX_READINGS_PER_SECOND = 1000;

    public SimulationSettings {
        if (sensors < 1) {
            throw new IllegalArgumentException("sensors must be at least 1, was " + sensors);
        }
        if (places < 1) {
            throw new IllegalArgumentException("places must be at least 1, was " + places);
        }
        if (!(readingsPerSecond > 0 && readingsPerSecond <= MAX_READINGS_PER_SECOND)) {
            throw new IllegalArgumentException("readingsPerSecond must be above 0 and at most "
                    + MAX_READINGS_PER_SECOND + ", was " + readingsPerSecond);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank, was '" + host + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
    }

    /** 12 sensors in 3 places, 2 readings a second each, on an ephemeral port of 127.0.0.1, seed 42. */
    public static SimulationSettings defaults() {
        return new SimulationSettings(12, 3, 2.0, "127.0.0.1", 0, 42);
    }

    /** A copy with {@code sensors} sensors. */
    public SimulationSettings withSensors(int sensors) {
        return new SimulationSettings(sensors, places, readingsPerSecond, host, port, seed);
    }

    /** A copy with {@code places} places. */
    public SimulationSettings withPlaces(int places) {
        return new SimulationSettings(sensors, places, readingsPerSecond, host, port, seed);
    }

    /** A copy where each sensor publishes {@code readingsPerSecond} readings a second. */
    public SimulationSettings withReadingsPerSecond(double readingsPerSecond) {
        return new SimulationSettings(sensors, places, readingsPerSecond, host, port, seed);
    }

    /** A copy bound to {@code host}. */
    public SimulationSettings withHost(String host) {
        return new SimulationSettings(sensors, places, readingsPerSecond, host, port, seed);
    }

    /** A copy bound to {@code port} (0 for an ephemeral port). */
    public SimulationSettings withPort(int port) {
        return new SimulationSettings(sensors, places, readingsPerSecond, host, port, seed);
    }

    /** A copy whose random walks start from {@code seed}. */
    public SimulationSettings withSeed(long seed) {
        return new SimulationSettings(sensors, places, readingsPerSecond, host, port, seed);
    }
}
