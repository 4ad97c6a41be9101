package io.iotgrid.sinks;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link GridSinks#map} sets on the IMap besides the entries, e.g.
 * {@code MapSinkOptions.defaults().withTtl(Duration.ofHours(1)).withIndexes("sensorId", "timestamp")}.
 *
 * @param ttl     time to live of every entry written; {@code null} (the default) for the map's configured
 *                {@code time-to-live-seconds}; otherwise at least 1 ms
 * @param indexes attributes to create a SORTED index on when the sink starts; default none. Creating an index
 *                that already exists does nothing, so restarts and several processors are harmless
 */
public record MapSinkOptions(Duration ttl, List<String> indexes) implements Serializable {

    public MapSinkOptions {
        if (ttl != null && ttl.toMillis() < 1) {
            throw new IllegalArgumentException("ttl must be null or at least 1 ms, was " + ttl);
        }
        if (indexes == null) {
            throw new IllegalArgumentException("indexes must not be null; use an empty list for no indexes");
        }
        for (String attribute : indexes) {
            if (attribute == null || attribute.isBlank()) {
                throw new IllegalArgumentException("indexes must list attribute names, was " + indexes);
            }
        }
        indexes = List.copyOf(indexes);
    }

    /** No TTL of its own and no indexes. */
    public static MapSinkOptions defaults() {
        return new MapSinkOptions(null, List.of());
    }

    public MapSinkOptions withTtl(Duration value) {
        return new MapSinkOptions(value, indexes);
    }

    /** A copy that creates a SORTED index on each of {@code attributes}, e.g. {@code "sensorId"}. */
    public MapSinkOptions withIndexes(String... attributes) {
        return new MapSinkOptions(ttl, Arrays.asList(attributes));
    }
}
