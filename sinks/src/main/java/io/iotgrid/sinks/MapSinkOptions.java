package io.iotgrid.sinks;

import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;

import java.time.Duration;
import java.util.List;

/**
 * What {@link GridSinks#map} sets on the IMap besides the entries. Each option is declared once below (key,
 * default, check, meaning); a bad value fails with a message that names its key and the value.
 * <pre>{@code
 * MapSinkOptions options = MapSinkOptions.builder()
 *         .set(MapSinkOptions.TTL, Duration.ofHours(1))
 *         .set(MapSinkOptions.INDEXES, List.of("sensorId", "timestamp"))
 *         .build();
 * }</pre>
 */
public final class MapSinkOptions extends Settings {

    private static final long serialVersionUID = 1L;

    /** Every option of the IMap sink. */
    public static final SettingGroup GROUP = new SettingGroup("map sink");

    public static final Setting<Duration> TTL = GROUP.add(Setting.duration("ttl", null,
            "time to live of every entry written; `none`: the map's configured `time-to-live-seconds`")
            .require(d -> d.toMillis() >= 1, "at least 1ms").orNone());
    public static final Setting<List<String>> INDEXES = GROUP.add(Setting.list("indexes", List.of(),
            "attributes to create a SORTED index on when the sink starts (an index that exists already stays as it "
                    + "is, so restarts and several processors are harmless)")
            .require(MapSinkOptions::attributeNames, "a list of attribute names"));

    private MapSinkOptions(Builder builder) {
        super(builder);
    }

    /** No TTL of its own and no indexes. */
    public static MapSinkOptions defaults() {
        return builder().build();
    }

    /** A builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@link #TTL}; {@code null} for the map's configured time to live. */
    public Duration ttl() {
        return get(TTL);
    }

    /** {@link #INDEXES}. */
    public List<String> indexes() {
        return get(INDEXES);
    }

    private static boolean attributeNames(List<String> attributes) {
        return attributes.stream().allMatch(a -> a != null && !a.isBlank());
    }

    /** Builds {@link MapSinkOptions}. */
    public static final class Builder extends SettingsBuilder<MapSinkOptions, Builder> {

        private Builder() {
            super(GROUP);
        }

        private Builder(MapSinkOptions from) {
            super(GROUP, from);
        }

        @Override
        protected MapSinkOptions create() {
            return new MapSinkOptions(this);
        }
    }
}
