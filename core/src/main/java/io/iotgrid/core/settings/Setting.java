package io.iotgrid.core.settings;

import io.iotgrid.core.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One option of a settings type, declared once: its key (as users write it in properties, job-jar arguments and
 * REST requests), its type, its default, its checks and one line of documentation. Builders, the
 * {@link SettingsReader}, error messages and the README's option tables all derive from it, as Californium's
 * {@code CoapConfig} definitions do for its configuration.
 * <pre>{@code
 * static final Setting<Duration> WINDOW_SIZE = GROUP.add(Setting.duration("window.size", Duration.ofMinutes(1),
 *         "length of the tumbling windows").require(d -> d.toMillis() >= 1, "at least 1 ms"));
 * }</pre>
 * A check failure names the key, the requirement and the bad value: {@code window.size must be at least 1 ms,
 * was 0s}. Instances are immutable; {@link #require}, {@link #orNone} and {@link #withDefault} return new ones.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {

    /** What {@link #format} gives for a {@link #secret} value. */
    public static final String HIDDEN = "(hidden)";

    private final String key;
    private final String type;
    private final T defaultValue;
    private final String doc;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final List<Check<T>> checks;
    private final Absence absence;
    private final Part<T> part;
    private final boolean secret;

    private Setting(String key, String type, T defaultValue, String doc, Function<String, T> parser,
                    Function<T, String> formatter, List<Check<T>> checks, Absence absence) {
        this(key, type, defaultValue, doc, parser, formatter, checks, absence, null, false);
    }

    private Setting(String key, String type, T defaultValue, String doc, Function<String, T> parser,
                    Function<T, String> formatter, List<Check<T>> checks, Absence absence, Part<T> part,
                    boolean secret) {
        this.key = Objects.requireNonNull(key, "key");
        this.type = type;
        this.defaultValue = defaultValue;
        this.doc = Objects.requireNonNull(doc, "doc");
        this.parser = parser;
        this.formatter = formatter;
        this.checks = List.copyOf(checks);
        this.absence = absence;
        this.part = part;
        this.secret = secret;
    }

    /**
     * A setting of any type.
     *
     * @param type      what a value looks like, for error messages and docs, e.g. {@code "a whole number"}
     * @param parser    text to value; throws {@link IllegalArgumentException} (any message) when it cannot
     * @param formatter value to text, the inverse of {@code parser}
     */
    public static <T> Setting<T> of(String key, String type, T defaultValue, Function<String, T> parser,
                                    Function<T, String> formatter, String doc) {
        return new Setting<>(key, type, defaultValue, doc, parser, formatter, List.of(), Absence.REFUSED);
    }

    /** A duration: {@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h} or ISO-8601 such as {@code PT2M}. */
    public static Setting<Duration> duration(String key, Duration defaultValue, String doc) {
        return of(key, "a duration such as 500ms, 90s, 5m or 1h", defaultValue, text -> Durations.parse(key, text),
                Durations::format, doc);
    }

    /** A whole number. */
    public static Setting<Integer> integer(String key, int defaultValue, String doc) {
        return of(key, "a whole number", defaultValue, Integer::valueOf, String::valueOf, doc);
    }

    /** {@code true} or {@code false}, in any case. */
    public static Setting<Boolean> bool(String key, boolean defaultValue, String doc) {
        return of(key, "true or false", defaultValue, text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException();
        }, String::valueOf, doc);
    }

    /** Text, trimmed; a blank value is refused. {@code defaultValue} {@code null} means "not set". */
    public static Setting<String> string(String key, String defaultValue, String doc) {
        return of(key, "text", defaultValue, text -> text, text -> text, doc)
                .require(text -> !text.isBlank(), "non-blank");
    }

    /** A comma-separated list of texts, each trimmed, empty ones left out. */
    public static Setting<List<String>> list(String key, List<String> defaultValue, String doc) {
        return of(key, "a comma-separated list", defaultValue,
                text -> Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                values -> String.join(",", values), doc);
    }

    /** One of an enum's constants, written in lower case and read in any case. */
    public static <E extends Enum<E>> Setting<E> enumeration(String key, Class<E> type, E defaultValue, String doc) {
        String names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                             .collect(Collectors.joining(", "));
        return of(key, "one of " + names, defaultValue, text -> Enum.valueOf(type, text.toUpperCase(Locale.ROOT)),
                value -> value.name().toLowerCase(Locale.ROOT), doc);
    }

    /**
     * Every key that starts with {@code prefix}, passed on as it is, e.g. {@code kafka.consumer.*} for the
     * properties of a Kafka consumer: the value maps each key, less the prefix, to its text. Default empty.
     */
    public static Setting<java.util.Map<String, String>> prefixed(String prefix, String doc) {
        if (!prefix.endsWith(".")) {
            throw new IllegalArgumentException("a prefix ends with '.', was '" + prefix + "'");
        }
        return of(prefix + "*", "keys starting with " + prefix, java.util.Map.of(), text -> {
            throw new IllegalArgumentException("name a key under " + prefix);
        }, map -> "", doc);
    }

    /**
     * A value made of several settings of its own, such as DTLS credentials or a payload format, each with its
     * key: a {@link SettingsReader} has it when it has any of {@code group}'s keys and reads it with
     * {@code read}, which names those keys in its errors. Its own keys are documented with {@code group}.
     */
    public static <T> Setting<T> part(String key, SettingGroup group, T defaultValue,
                                      Function<SettingsReader, T> read, String doc) {
        return new Setting<>(key, "the keys of " + group.name(), defaultValue, doc, text -> {
            throw new IllegalArgumentException("set through the keys of " + group.name());
        }, String::valueOf, List.of(), Absence.REFUSED, new Part<>(group, read), false);
    }

    /** The group of a {@link #part}'s own settings; {@code null} for other settings. */
    public SettingGroup partGroup() {
        return part == null ? null : part.group();
    }

    /** Reads a {@link #part} from {@code reader}. */
    T readPart(SettingsReader reader) {
        return part.read().apply(reader);
    }

    /** The prefix of a {@link #prefixed} setting, e.g. {@code kafka.consumer.}; {@code null} for others. */
    public String prefix() {
        return key.endsWith(".*") ? key.substring(0, key.length() - 1) : null;
    }

    /**
     * This setting with one more check, applied to every value set or read (never to a {@code null} "none").
     *
     * @param requirement what a good value is, completing "{@code <key> must be ...}", e.g. {@code "positive"}
     */
    public Setting<T> require(Predicate<? super T> ok, String requirement) {
        List<Check<T>> all = new ArrayList<>(checks);
        all.add(new Check<>(ok, requirement));
        return new Setting<>(key, type, defaultValue, doc, parser, formatter, all, absence, part, secret);
    }

    /** This setting, also accepting {@code none} (any case), which stands for {@code null}: "off". */
    public Setting<T> orNone() {
        return new Setting<>(key, type + ", or none", defaultValue, doc, parser, formatter, checks, Absence.NONE, part,
                secret);
    }

    /**
     * This setting, whose values are never shown: {@link #format} and error messages give {@code (hidden)} instead,
     * and so does {@link Settings#toString()}. For passwords and shared secrets.
     */
    public Setting<T> secret() {
        return new Setting<>(key, type, defaultValue, doc, parser, formatter, checks, absence, part, true);
    }

    /** Whether values are hidden in messages and {@code toString}. */
    public boolean isSecret() {
        return secret;
    }

    /** This setting, also accepting no value at all ({@code null}): for what is optional and has no default. */
    public Setting<T> optional() {
        return new Setting<>(key, type, defaultValue, doc, parser, formatter, checks, Absence.OPTIONAL, part, secret);
    }

    /** This setting with another default, for a settings type whose default differs (e.g. a job's name). */
    public Setting<T> withDefault(T value) {
        return new Setting<>(key, type, value, doc, parser, formatter, checks, absence, part, secret);
    }

    /**
     * This setting under another key, for a reader of another product's keys (stream-reactor's
     * {@code connect.hazelcast.*}): same type, default, checks and meaning, and errors that name that key.
     */
    public Setting<T> withKey(String otherKey) {
        return new Setting<>(otherKey, type, defaultValue, doc, parser, formatter, checks, absence, part, secret);
    }

    /**
     * This setting with another meaning's text, for a key kept only so that old files still work: its doc says
     * which key replaced it, and that is what the option tables show.
     */
    public Setting<T> withDoc(String otherDoc) {
        return new Setting<>(key, type, defaultValue, otherDoc, parser, formatter, checks, absence, part, secret);
    }

    /**
     * This setting written another way, for a reader of another product's keys whose values look different
     * (stream-reactor's intervals in plain milliseconds): same key, default, checks and meaning.
     *
     * @param type      what a value looks like now, e.g. {@code "a number of milliseconds"}
     * @param parser    text to value; throws {@link IllegalArgumentException} (any message) when it cannot
     * @param formatter value to text, the inverse of {@code parser}
     */
    public Setting<T> writtenAs(String type, Function<String, T> parser, Function<T, String> formatter) {
        return new Setting<>(key, type, defaultValue, doc, parser, formatter, checks, absence, part, secret);
    }

    /** The key users write, e.g. {@code window.size}. */
    public String key() {
        return key;
    }

    /** One line of documentation. */
    public String doc() {
        return doc;
    }

    /** The default, {@code null} when the setting is off or absent by default. */
    public T defaultValue() {
        return defaultValue;
    }

    /**
     * The default as users write it: {@code none} when off by default, empty when not set by default,
     * {@code required} when there is none and a value must be given.
     */
    public String defaultText() {
        if (defaultValue == null) {
            return switch (absence) {
                case NONE -> "none";
                case OPTIONAL -> "";
                case REFUSED -> "required";
            };
        }
        return format(defaultValue);
    }

    /** What a value looks like, e.g. {@code a duration such as 500ms, 90s, 5m or 1h}. */
    public String type() {
        return type;
    }

    /** {@code value} as users write it. */
    public String format(T value) {
        if (value == null) {
            return absence == Absence.NONE ? "none" : "";
        }
        return secret ? HIDDEN : formatter.apply(value);
    }

    /**
     * The value {@code text} stands for, checked.
     *
     * @throws IllegalArgumentException naming the key, what was expected and {@code text}
     */
    public T parse(String text) {
        String trimmed = text.trim();
        if (absence == Absence.NONE && trimmed.equalsIgnoreCase("none")) {
            return null;
        }
        T value;
        try {
            value = parser.apply(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be " + type + ", was '" + (secret ? HIDDEN : trimmed) + "'",
                    e);
        }
        return check(value, secret ? HIDDEN : trimmed);
    }

    /**
     * {@code value}, if it passes every check.
     *
     * @throws IllegalArgumentException naming the key, the requirement and the value
     */
    public T check(T value) {
        return check(value, value == null ? null : format(value));
    }

    private T check(T value, String asWritten) {
        if (value == null) {
            if (absence == Absence.REFUSED) {
                throw new IllegalArgumentException(key + " is required: " + doc);
            }
            return null;
        }
        for (Check<T> check : checks) {
            if (!check.ok().test(value)) {
                throw new IllegalArgumentException(key + " must be " + check.requirement() + ", was '" + asWritten
                        + "'");
            }
        }
        return value;
    }

    /** Whether {@code null} is a valid value: {@code none} or simply not set. */
    public boolean nullAllowed() {
        return absence != Absence.REFUSED;
    }

    @Override
    public String toString() {
        return key;
    }

    /** What a {@code null} value means. */
    private enum Absence {
        /** Not valid: the setting must have a value. */
        REFUSED,
        /** "Off", written {@code none}. */
        NONE,
        /** Not set; there is nothing to write. */
        OPTIONAL
    }

    private record Part<T>(SettingGroup group, Function<SettingsReader, T> read) {
    }

    private record Check<T>(Predicate<? super T> ok, String requirement) {
    }
}
