package io.iotgrid.simulator;

import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;

import java.time.Duration;
import java.util.List;

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
    public static final Setting<Double> BAD_PAYLOAD_SHARE = GROUP.add(Setting.of("bad.payload.share",
            "a number from 0 to 1 such as 0.02", 0.0, Double::valueOf, SimulationSettings::formatRate,
            "share of readings sent as a malformed payload (a measure as text, or cut short), which a job keeps as "
                    + "a dead letter with its reason").require(s -> s >= 0 && s <= 1, "between 0 and 1"));
    public static final Setting<Integer> HOT_SENSORS = GROUP.add(Setting.integer("hot.sensors", 0,
            "number of sensors, from `s-1` on, whose temperature runs between " + formatRate(SensorWalk.HOT_MIN)
                    + " and " + formatRate(SensorWalk.HOT_MAX) + " °C instead of 15 to 30 (above the demo's alert "
                    + "rule temperature>25)").require(n -> n >= 0, "at least 0"));
    public static final Setting<Integer> QUIET_SENSORS = GROUP.add(Setting.integer("quiet.sensors", 0,
            "number of sensors, from `s-<sensors>` down, that stop sending after `quiet.after`")
            .require(n -> n >= 0, "at least 0"));
    public static final Setting<Duration> QUIET_AFTER = GROUP.add(Setting.duration("quiet.after",
            Duration.ofSeconds(30), "how long the quiet sensors send before they stop")
            .require(d -> !d.isNegative() && !d.isZero(), "positive"));

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

    /** {@link #BAD_PAYLOAD_SHARE}. */
    public double badPayloadShare() {
        return get(BAD_PAYLOAD_SHARE);
    }

    /** {@link #HOT_SENSORS}. */
    public int hotSensors() {
        return get(HOT_SENSORS);
    }

    /** {@link #QUIET_SENSORS}. */
    public int quietSensors() {
        return get(QUIET_SENSORS);
    }

    /** {@link #QUIET_AFTER}. */
    public Duration quietAfter() {
        return get(QUIET_AFTER);
    }

    /** Whether any sensor misbehaves: bad payloads, hot or quiet sensors. */
    public boolean hasFaults() {
        return badPayloadShare() > 0 || hotSensors() > 0 || quietSensors() > 0;
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
        protected void sanityCheck() {
            for (Setting<Integer> some : List.of(HOT_SENSORS, QUIET_SENSORS)) {
                if (get(some) > get(SENSORS)) {
                    throw new IllegalArgumentException(some.key() + " must be at most " + SENSORS.key() + " ("
                            + get(SENSORS) + "), was " + get(some));
                }
            }
        }

        @Override
        protected SimulationSettings create() {
            return new SimulationSettings(this);
        }
    }
}
