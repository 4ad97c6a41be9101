package io.iotgrid.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where a JSON payload keeps each part of a reading. Paths are field names, with dots for nested objects
 * ({@code payload.temperature}). Two presets match what sensors already send:
 * <ul>
 *   <li>{@link #flat()}: {@code {"sensorId":"Sensor4","timestamp":1486997194029,"temperature":23.6}}, with an
 *       optional {@code placeId} (default place {@value #UNASSIGNED_PLACE});</li>
 *   <li>{@link #nested()}: {@code {"id":"s-1","place_id":"p-3","timestamp":1600000000000,
 *       "payload":{"temperature":21,"humidity":40,"pressure":1013,"luminosity":300}}}.</li>
 * </ul>
 * Sensor id and timestamp are required, and so is at least one measure. The place is required unless
 * {@code defaultPlaceId} is set, which readings without a place get.
 *
 * @param sensorIdPath   path of the sensor id (a string or an integer)
 * @param placeIdPath    path of the place id (a string or an integer); {@code null} when payloads carry none
 * @param timestampPath  path of the event time, an integer of epoch milliseconds
 * @param measurePaths   path of each measure the payload may carry (a number); at least one measure
 * @param defaultPlaceId place of readings that carry none, or {@code null} to send those to dead letters
 */
public record ReadingFormat(
        String sensorIdPath,
        String placeIdPath,
        String timestampPath,
        Map<Measure, String> measurePaths,
        String defaultPlaceId
) implements Serializable {

    /** Place of readings in the {@link #flat()} format that carry no {@code placeId}. */
    public static final String UNASSIGNED_PLACE = "unassigned";

    public ReadingFormat {
        requirePath("sensorIdPath", sensorIdPath);
        requirePath("timestampPath", timestampPath);
        if (placeIdPath != null) {
            requirePath("placeIdPath", placeIdPath);
        }
        if (placeIdPath == null && defaultPlaceId == null) {
            throw new IllegalArgumentException("placeIdPath and defaultPlaceId are both null: readings would have "
                    + "no place; set one of them");
        }
        if (defaultPlaceId != null && defaultPlaceId.isEmpty()) {
            throw new IllegalArgumentException("defaultPlaceId must not be empty");
        }
        Objects.requireNonNull(measurePaths, "measurePaths");
        if (measurePaths.isEmpty()) {
            throw new IllegalArgumentException("measurePaths is empty: a reading needs at least one measure");
        }
        measurePaths.forEach((m, path) -> requirePath("measurePaths." + m.key(), path));
        measurePaths = Collections.unmodifiableMap(new EnumMap<>(measurePaths));
        Set<String> seen = new HashSet<>();
        for (String path : allPaths(sensorIdPath, placeIdPath, timestampPath, measurePaths)) {
            if (!seen.add(path)) {
                throw new IllegalArgumentException("path '" + path + "' is used for two fields");
            }
        }
    }

    /** Top-level {@code sensorId}, {@code placeId} (optional), {@code timestamp} and measures by their keys. */
    public static ReadingFormat flat() {
        Map<Measure, String> measures = new EnumMap<>(Measure.class);
        for (Measure m : Measure.values()) {
            measures.put(m, m.key());
        }
        return new ReadingFormat("sensorId", "placeId", "timestamp", measures, UNASSIGNED_PLACE);
    }

    /** {@code id}, {@code place_id} (required), {@code timestamp} and measures under {@code payload}. */
    public static ReadingFormat nested() {
        Map<Measure, String> measures = new EnumMap<>(Measure.class);
        for (Measure m : Measure.values()) {
            measures.put(m, "payload." + m.key());
        }
        return new ReadingFormat("id", "place_id", "timestamp", measures, null);
    }

    /** Preset by name, {@code flat} or {@code nested}, as given on a command line or in a properties file. */
    public static ReadingFormat named(String name) {
        return switch (name) {
            case "flat" -> flat();
            case "nested" -> nested();
            default -> throw new IllegalArgumentException("unknown reading format '" + name
                    + "', expected flat or nested");
        };
    }

    private static List<String> allPaths(String sensor, String place, String ts, Map<Measure, String> measures) {
        List<String> all = new ArrayList<>(measures.values());
        all.add(sensor);
        all.add(ts);
        if (place != null) {
            all.add(place);
        }
        return all;
    }

    private static void requirePath(String key, String path) {
        if (path == null || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw new IllegalArgumentException(key + " must be a field name or a dotted path, was '" + path + "'");
        }
    }
}
