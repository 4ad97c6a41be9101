package io.iotgrid.core.settings;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Settings as users write them, {@code key=value} texts, read into any settings type by its builder
 * ({@link SettingsBuilder#read}): job-jar arguments, properties files, the demo's options, a REST request's
 * JSON object. Values are parsed by their {@link Setting}, so an error names the key and the text.
 * <pre>{@code
 * SettingsReader args = SettingsReader.arguments("plant.properties", "window.size=5m");
 * args.rejectUnknown(AggregationSettings.GROUP, JobSettings.GROUP);
 * AggregationSettings s = AggregationSettings.builder().read(args).build();
 * }</pre>
 */
public final class SettingsReader {

    private final Map<String, String> texts;

    private SettingsReader(Map<String, String> texts) {
        this.texts = texts;
    }

    /** The texts of {@code props}, trimmed. */
    public static SettingsReader of(Properties props) {
        Map<String, String> texts = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> texts.put(k.trim(), props.getProperty(k).trim()));
        return new SettingsReader(texts);
    }

    /** The texts of {@code map}, trimmed. */
    public static SettingsReader of(Map<String, String> map) {
        Map<String, String> texts = new LinkedHashMap<>();
        map.forEach((k, v) -> texts.put(k.trim(), v.trim()));
        return new SettingsReader(texts);
    }

    /**
     * Reads {@code args} in order, each either {@code key=value} or the path of a properties file; later ones
     * override earlier ones, so {@code plant.properties window.size=5m} takes everything from the file but the
     * window.
     *
     * @throws IllegalArgumentException for an argument that is neither {@code key=value} nor a readable file
     */
    public static SettingsReader arguments(String... args) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                texts.put(arg.substring(0, eq).trim(), arg.substring(eq + 1).trim());
                continue;
            }
            Path file = Path.of(arg);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("argument '" + arg + "' is neither key=value nor a properties file");
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read properties file " + file, e);
            }
            p.stringPropertyNames().forEach(k -> texts.put(k.trim(), p.getProperty(k).trim()));
        }
        return new SettingsReader(texts);
    }

    /** Whether a non-empty value is given for {@code setting} (for a prefixed setting: any key under it). */
    public boolean has(Setting<?> setting) {
        if (setting.partGroup() != null) {
            return setting.partGroup().settings().stream().anyMatch(this::has);
        }
        String prefix = setting.prefix();
        if (prefix != null) {
            return texts.keySet().stream().anyMatch(k -> k.startsWith(prefix) && k.length() > prefix.length());
        }
        String text = texts.get(setting.key());
        return text != null && !text.isEmpty();
    }

    /**
     * The value of {@code setting}: parsed and checked, or its default when absent.
     *
     * @throws IllegalArgumentException naming the key and the text when it is not a valid value
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (setting.partGroup() != null) {
            return has(setting) ? setting.check(setting.readPart(this)) : setting.defaultValue();
        }
        String prefix = setting.prefix();
        if (prefix != null) {
            Map<String, String> under = new TreeMap<>();
            texts.forEach((k, v) -> {
                if (k.startsWith(prefix) && k.length() > prefix.length()) {
                    under.put(k.substring(prefix.length()), v);
                }
            });
            return (T) Map.copyOf(under);
        }
        return has(setting) ? setting.parse(texts.get(setting.key())) : setting.defaultValue();
    }

    /** The text given for {@code key}, or {@code null}. */
    public String text(String key) {
        String text = texts.get(key);
        return text == null || text.isEmpty() ? null : text;
    }

    /** Every key given, with its text. */
    public Properties asProperties() {
        Properties p = new Properties();
        texts.forEach(p::setProperty);
        return p;
    }

    /**
     * Fails naming every key given that no setting of {@code groups} declares, and listing the known ones, so a
     * typo does not go unnoticed.
     */
    public SettingsReader rejectUnknown(SettingGroup... groups) {
        Set<String> known = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        for (SettingGroup g : groups) {
            collectKeys(g, known, prefixes);
        }
        Set<String> unknown = new TreeSet<>(texts.keySet());
        unknown.removeAll(known);
        unknown.removeIf(k -> prefixes.stream().anyMatch(k::startsWith));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown keys " + unknown + "; known keys are " + known
                    + (prefixes.isEmpty() ? "" : " and those starting with " + prefixes));
        }
        return this;
    }

    private static void collectKeys(SettingGroup group, Set<String> known, Set<String> prefixes) {
        for (Setting<?> s : group.settings()) {
            if (s.partGroup() != null) {
                collectKeys(s.partGroup(), known, prefixes);
            } else if (s.prefix() != null) {
                prefixes.add(s.prefix());
            } else {
                known.add(s.key());
            }
        }
    }

    @Override
    public String toString() {
        return Arrays.toString(texts.keySet().toArray());
    }
}
