package io.iotgrid.submit;

import com.hazelcast.jet.config.ProcessingGuarantee;
import io.iotgrid.core.Durations;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The parameters a job jar's {@code main} receives from {@code hz-cli submit job.jar ARG...}: each argument is
 * either {@code key=value} or the path of a properties file; later arguments override earlier ones, so
 * {@code hz-cli submit job.jar plant.properties window.size=5m} takes everything from the file except the window.
 * Getters fail with a message that names the key and the bad value.
 */
public final class JobArguments {

    private final Map<String, String> values;

    private JobArguments(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Reads {@code args} in order.
     *
     * @throws IllegalArgumentException for an argument that is neither {@code key=value} nor a readable file
     */
    public static JobArguments parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                values.put(arg.substring(0, eq).trim(), arg.substring(eq + 1).trim());
            } else {
                Path file = Path.of(arg);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("argument '" + arg + "' is neither key=value nor a "
                            + "properties file");
                }
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(file)) {
                    p.load(r);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read properties file " + file, e);
                }
                p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
            }
        }
        return new JobArguments(values);
    }

    /** All keys and values, e.g. for libraries that read their own keys. */
    public Properties asProperties() {
        Properties p = new Properties();
        values.forEach(p::setProperty);
        return p;
    }

    /** Fails naming every key given that is not in {@code known}, so a typo does not go unnoticed. */
    public void rejectUnknown(Set<String> known) {
        rejectUnknown(known, Set.of());
    }

    /**
     * Fails naming every key given that is neither in {@code known} nor starts with one of {@code prefixes} (keys
     * passed on to a library, e.g. {@code kafka.consumer.*}).
     */
    public void rejectUnknown(Set<String> known, Set<String> prefixes) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        unknown.removeIf(k -> prefixes.stream().anyMatch(k::startsWith));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown keys " + unknown + "; known keys are " + new TreeSet<>(known)
                    + (prefixes.isEmpty() ? "" : " and those starting with " + new TreeSet<>(prefixes)));
        }
    }

    /**
     * {@code parse.get()}, with {@code key: } put before the message of the {@link IllegalArgumentException} it
     * throws when that message does not name the key already (e.g. a library's parser).
     */
    public static <T> T keyed(String key, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(key)) {
                throw e;
            }
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    /** The value of {@code key}, or {@code defaultValue} when absent or empty. */
    public String string(String key, String defaultValue) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? defaultValue : v;
    }

    /** The value of {@code key}; fails with {@code key is required: what} when absent or empty. */
    public String required(String key, String what) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(key + " is required: " + what);
        }
        return v;
    }

    /** A comma-separated list; empty when the key is absent. */
    public List<String> list(String key) {
        String v = values.get(key);
        return v == null ? List.of()
                : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A whole number, or {@code defaultValue} when absent. */
    public int integer(String key, int defaultValue) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + v + "'");
        }
    }

    /** {@code true} or {@code false} (any case), or {@code defaultValue} when absent. */
    public boolean bool(String key, boolean defaultValue) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, was '" + v + "'");
        };
    }

    /** A duration ({@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h}, {@code PT2M}), or {@code defaultValue}. */
    public Duration duration(String key, Duration defaultValue) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? defaultValue : Durations.parse(key, v);
    }

    /** A duration, or {@code null} for {@code none}. */
    public Duration durationOrNone(String key, Duration defaultValue) {
        String v = values.get(key);
        return "none".equalsIgnoreCase(v) ? null : duration(key, defaultValue);
    }

    /** {@code NONE}, {@code AT_LEAST_ONCE} or {@code EXACTLY_ONCE} (any case), or {@code defaultValue}. */
    public ProcessingGuarantee guarantee(String key, ProcessingGuarantee defaultValue) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        try {
            return ProcessingGuarantee.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be one of " + Arrays.toString(ProcessingGuarantee.values())
                    + ", was '" + v + "'");
        }
    }
}
