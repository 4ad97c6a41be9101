package io.iotgrid.core.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a settings type: {@link #set} checks each value on its own, {@link #build()} runs the checks that relate
 * several settings once, when every value is known (as Flink's {@code KafkaSourceBuilder.sanityCheck()} does), so
 * the order of {@code set} calls never matters.
 * <pre>{@code
 * AggregationSettings s = AggregationSettings.builder()
 *         .set(AggregationSettings.WINDOW_SIZE, Duration.ofSeconds(10))
 *         .set(AggregationSettings.EARLY_RESULTS_PERIOD, Duration.ofSeconds(1))
 *         .build();
 * }</pre>
 *
 * @param <S> the settings type
 * @param <B> the builder's own type, returned by {@code set} for chaining
 */
public abstract class SettingsBuilder<S extends Settings, B extends SettingsBuilder<S, B>> {

    private final SettingGroup group;
    private final Map<String, Object> values = new HashMap<>();

    /** An empty builder: every setting at its default. */
    protected SettingsBuilder(SettingGroup group) {
        this.group = group;
    }

    /** A builder starting from {@code from}'s values. */
    protected SettingsBuilder(SettingGroup group, Settings from) {
        this(group);
        values.putAll(from.values());
        group.settings().forEach(s -> values.putIfAbsent(s.key(), null));
    }

    /**
     * Sets {@code setting} to {@code value} ({@code null} for "none" or not set, where the setting allows it). A list
     * is copied, so later changes to the caller's list do not reach the settings.
     *
     * @throws IllegalArgumentException naming the key when the value fails the setting's checks, or when the
     *                                  setting is not one of this type's
     */
    public <T> B set(Setting<T> setting, T value) {
        requireOwn(setting);
        values.put(setting.key(), copyOf(setting.check(value)));
        return self();
    }

    /** Sets every setting of this type that {@code reader} has a value for; the others stay as they are. */
    public B read(SettingsReader reader) {
        for (Setting<?> s : group.settings()) {
            if (reader.has(s)) {
                values.put(s.key(), reader.get(s));
            }
        }
        return self();
    }

    /** The value {@code setting} has now: the one set, or its default. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        requireOwn(setting);
        // The group's own definition holds the default: a group may take a shared setting with another default.
        return values.containsKey(setting.key()) ? (T) values.get(setting.key())
                : (T) group.find(setting.key()).defaultValue();
    }

    /**
     * The settings, after {@link #sanityCheck()}.
     *
     * @throws IllegalArgumentException naming the keys of a combination that is not valid
     */
    public final S build() {
        for (Setting<?> s : group.settings()) {
            if (get(s) == null && !s.nullAllowed()) {
                throw new IllegalArgumentException(s.key() + " is required: " + s.doc());
            }
        }
        sanityCheck();
        return create();
    }

    /** Checks what relates several settings; the message names every key involved and the bad values. */
    protected void sanityCheck() {
    }

    /** The settings, from this builder's values (a subclass passes {@code this} to its constructor). */
    protected abstract S create();

    /** Every setting's value, defaults included; {@code null} ones left out. */
    Map<String, Object> resolved() {
        Map<String, Object> all = new HashMap<>();
        for (Setting<?> s : group.settings()) {
            Object v = get(s);
            if (v != null) {
                all.put(s.key(), v);
            }
        }
        return all;
    }

    private static Object copyOf(Object value) {
        // Not List.copyOf: a setting's checks decide about null elements, and its message names them.
        return value instanceof List<?> list ? Collections.unmodifiableList(new ArrayList<>(list)) : value;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    private void requireOwn(Setting<?> setting) {
        if (!group.contains(setting)) {
            throw new IllegalArgumentException(setting.key() + " is not a setting of " + group.name()
                    + "; its settings are " + group.settings());
        }
    }
}
