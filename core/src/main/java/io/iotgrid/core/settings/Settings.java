package io.iotgrid.core.settings;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable, checked set of values, one per {@link Setting} of a {@link SettingGroup}: the base of every
 * settings type. Subclasses add a typed accessor per setting ({@code windowSize()} reads
 * {@code get(WINDOW_SIZE)}) and a {@link SettingsBuilder}; equal when of the same type with the same values.
 * The values travel with a job, so they must be serializable.
 */
public abstract class Settings implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Value by key; a key absent here has the value {@code null} ("none" or not set). */
    private final TreeMap<String, Object> values;
    /** Keys whose values {@link #toString()} hides. */
    private final TreeSet<String> secrets;

    protected Settings(SettingsBuilder<?, ?> builder) {
        this.values = new TreeMap<>(builder.resolved());
        this.secrets = new TreeSet<>(builder.secretKeys());
    }

    /** The value of {@code setting}, {@code null} when it is {@code none} or not set. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting.key());
    }

    /** Every value by key, for a builder copying these settings. */
    Map<String, Object> values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && values.equals(((Settings) o).values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        Map<String, Object> shown = new TreeMap<>(values);
        secrets.forEach(key -> shown.computeIfPresent(key, (k, v) -> Setting.HIDDEN));
        return getClass().getSimpleName() + shown;
    }
}
