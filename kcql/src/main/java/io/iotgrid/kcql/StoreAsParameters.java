package io.iotgrid.kcql;

import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;

import java.time.Duration;

/**
 * The parameters of a KCQL {@code STOREAS TYPE(key=value, ...)} clause, e.g.
 * {@code STOREAS RING_BUFFER(capacity=1000, timeToLive=10m)}. Each is declared once below; which structure takes
 * which is {@link StoreAs#parameters()}, and a statement that gives another is rejected naming the valid ones.
 * Keys are read ignoring case. {@code ttl} cannot be a key: the kcql grammar reads it as its {@code TTL} keyword.
 * <pre>{@code
 * StoreAsParameters p = StoreAsParameters.builder().set(StoreAsParameters.CAPACITY, 1000).build();
 * }</pre>
 */
public final class StoreAsParameters extends Settings {

    private static final long serialVersionUID = 1L;

    /** Every parameter of every structure. */
    public static final SettingGroup GROUP = new SettingGroup("STOREAS parameters");

    public static final Setting<Integer> CAPACITY = GROUP.add(Setting.<Integer>of("capacity", "a whole number", null,
            Integer::valueOf, String::valueOf, "RING_BUFFER: how many items the Ringbuffer holds, written into the "
                    + "members' configuration when the job is built; none: as the members configure it")
            .require(c -> c >= 1, "at least 1").optional());
    public static final Setting<Duration> TIME_TO_LIVE = GROUP.add(Setting.duration("timeToLive", null,
            "IMAP, ICACHE: how long each entry lives after it is written, as the `TTL = ms` clause; RING_BUFFER: "
                    + "how long items stay (its `time-to-live-seconds`, whole seconds), written into the members' "
                    + "configuration when the job is built; none: as the members configure it")
            .require(d -> d.toMillis() >= 1, "at least 1ms").optional());

    private StoreAsParameters(Builder builder) {
        super(builder);
    }

    /** No parameters: the structure as the members configure it. */
    public static StoreAsParameters none() {
        return builder().build();
    }

    /** A builder with no parameter set. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@link #CAPACITY}; {@code null} when not given. */
    public Integer capacity() {
        return get(CAPACITY);
    }

    /** {@link #TIME_TO_LIVE}; {@code null} when not given. */
    public Duration timeToLive() {
        return get(TIME_TO_LIVE);
    }

    /** Whether no parameter is given. */
    public boolean isEmpty() {
        return GROUP.settings().stream().allMatch(s -> get(s) == null);
    }

    /** Builds {@link StoreAsParameters}. */
    public static final class Builder extends SettingsBuilder<StoreAsParameters, Builder> {

        private Builder() {
            super(GROUP);
        }

        @Override
        protected StoreAsParameters create() {
            return new StoreAsParameters(this);
        }
    }
}
