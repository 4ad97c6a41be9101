package io.iotgrid.core.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The settings of one settings type, in the order they are declared: what its builder accepts, what a
 * {@link SettingsReader} knows, and a row each in the README's option tables.
 * <pre>{@code
 * public static final SettingGroup GROUP = new SettingGroup("aggregation");
 * public static final Setting<Duration> WINDOW_SIZE = GROUP.add(Setting.duration("window.size", ...));
 * }</pre>
 */
public final class SettingGroup {

    private final String name;
    private final List<Setting<?>> settings = new ArrayList<>();

    /** An empty group; {@code name} is how the docs and error messages call it. */
    public SettingGroup(String name) {
        this.name = name;
    }

    /** Adds {@code setting}, whose key must be new here, and returns it. */
    public synchronized <T> Setting<T> add(Setting<T> setting) {
        if (find(setting.key()) != null) {
            throw new IllegalArgumentException(name + " declares " + setting.key() + " twice");
        }
        settings.add(setting);
        return setting;
    }

    /** Adds every setting of {@code other}, for a type that takes another's settings as its own. */
    public SettingGroup addAll(SettingGroup other) {
        other.settings().forEach(this::add);
        return this;
    }

    /** The group's name, e.g. {@code aggregation}. */
    public String name() {
        return name;
    }

    /** The settings, in declaration order. */
    public synchronized List<Setting<?>> settings() {
        return Collections.unmodifiableList(new ArrayList<>(settings));
    }

    /** The setting of {@code key}, or {@code null}. */
    public synchronized Setting<?> find(String key) {
        for (Setting<?> s : settings) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** Whether {@code setting} (this very definition, or one of the same key) is in this group. */
    public boolean contains(Setting<?> setting) {
        return find(setting.key()) != null;
    }

    /**
     * The group as a Markdown table, as the README shows it: {@code | Key | Default | Meaning |}, a row per
     * setting; a {@link Setting#part} has none, its keys are in its own group's table.
     */
    public String markdownTable() {
        StringBuilder b = new StringBuilder("| Key | Default | Meaning |\n|---|---|---|\n");
        for (Setting<?> s : settings()) {
            if (s.partGroup() != null) {
                continue;
            }
            String def = s.defaultText();
            boolean literal = s.defaultValue() != null || s.nullAllowed();
            b.append("| `").append(s.key()).append("` | ").append(def.isEmpty() || !literal ? def : '`' + def + '`')
             .append(" | ").append(s.doc()).append(" |\n");
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return name;
    }
}
