package io.iotgrid.simulator;

import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;

/**
 * What a {@link SensorSimulator} simulates and where it listens. Each setting is declared once below (key, default,
 * check, meaning); the README's option table lists the same. A bad value fails with a message that names its key
 * and the value.
 * <pre>{@code
 * SimulationSettings s = SimulationSettings.builder()
 *         .set(SimulationSettings.SENSORS, 3)
 *         .set(SimulationSettings.READINGS_PER_SECOND, 5.0)
 *         .build();
 * }</pre>
 * gives 3 sensors in 3 places, each publishing 5 readings a second on an ephemeral loopback port.
 */
public final class SimulationSettings extends Settings {

    private static final long serialVersionUID = 1L;

    /** Highest rate per sensor: beyond it observe notifications are mostly skipped anyway (latest-state). */
    public static final double MAX_READINGS_PER_SECOND = 1000;

    /** Every setting of the simulation. */
    public static final SettingGroup GROUP = new SettingGroup("simulation");

    public static final Setting<Integer> SENSORS = GROUP.add(Setting.integer("sensors", 12,
            "number of sensors, `s-1` to `s-<sensors>`").require(n -> n >= 1, "at least 1"));
    public static final Setting<Integer> PLACES = GROUP.add(Setting.integer("places", 3,
            "number of places, `p-1` to `p-<places>`, sensors spread round-robin").require(n -> n >= 1, "at least 1"));
    public static final Setting<Double> READINGS_PER_SECOND = GROUP.add(Setting.of("readings.per.second",
            "a number such as 0.5 or 2", 2.0, Double::valueOf, SimulationSettings::formatRate,
            "readings each sensor publishes per second")
            .require(r -> r > 0 && r <= MAX_READINGS_PER_SECOND,
                    "above 0 and at most " + formatRate(MAX_READINGS_PER_SECOND)));
    public static final Setting<String> HOST = GROUP.add(Setting.string("host", "127.0.0.1",
            "address the CoAP server binds to"));
    public static final Setting<Integer> PORT = GROUP.add(Setting.integer("port", 0,
            "UDP port the CoAP server binds to, 0 for an ephemeral one").require(p -> p >= 0 && p <= 65_535,
            "between 0 and 65535"));
    public static final Setting<Long> SEED = GROUP.add(Setting.of("seed", "a whole number", 42L, Long::valueOf,
            String::valueOf, "seed of the random walks: the same seed gives the same sequence of values"));

    private SimulationSettings(Builder builder) {
        super(builder);
    }

    /** 12 sensors in 3 places, 2 readings a second each, on an ephemeral port of 127.0.0.1, seed 42. */
    public static SimulationSettings defaults() {
        return builder().build();
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@link #SENSORS}. */
    public int sensors() {
        return get(SENSORS);
    }

    /** {@link #PLACES}. */
    public int places() {
        return get(PLACES);
    }

    /** {@link #READINGS_PER_SECOND}. */
    public double readingsPerSecond() {
        return get(READINGS_PER_SECOND);
    }

    /** {@link #HOST}. */
    public String host() {
        return get(HOST);
    }

    /** {@link #PORT}. */
    public int port() {
        return get(PORT);
    }

    /** {@link #SEED}. */
    public long seed() {
        return get(SEED);
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
    }

    /** Builds {@link SimulationSettings}. */
    public static final class Builder extends SettingsBuilder<SimulationSettings, Builder> {

        private Builder() {
            super(GROUP);
        }

        private Builder(SimulationSettings from) {
            super(GROUP, from);
        }

        @Override
        protected SimulationSettings create() {
            return new SimulationSettings(this);
        }
    }
}
