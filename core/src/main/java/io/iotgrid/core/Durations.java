package io.iotgrid.core;

import java.time.Duration;

/** The one way command lines and job parameters write durations. */
public final class Durations {

    private Durations() {
    }

    /**
     * Parses {@code 90s}, {@code 5m}, {@code 1h}, {@code 7d}, {@code 500ms}, or an ISO-8601 duration such as
     * {@code PT2M}.
     *
     * @param key   the option or key the value came from, named in the error message
     * @throws IllegalArgumentException naming {@code key} and the value when it is not a duration
     */
    public static Duration parse(String key, String value) {
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                return Duration.parse(value);
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be a duration such as 500ms, 90s, 5m or 1h, was '"
                    + value + "'");
        }
    }

    /**
     * {@code duration} as {@link #parse} reads it, in the largest unit that divides it: {@code 7d}, {@code 1m},
     * {@code 90s}, {@code 500ms}; ISO-8601 below a millisecond.
     */
    public static String format(Duration duration) {
        if (duration.toNanosPart() % 1_000_000 != 0) {
            return duration.toString();
        }
        long millis = duration.toMillis();
        if (millis != 0 && millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
