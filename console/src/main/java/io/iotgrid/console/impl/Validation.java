package io.iotgrid.console.impl;

import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.SettingsReader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Kafka Connect's {@code PUT /connector-plugins/{class}/config/validate}: one entry per key the plugin declares and
 * per key given, each with the errors of its value, from the settings' own definitions: a value that does not
 * parse or fails a check, a key the plugin does not know. When every key passes on its own, the whole
 * configuration is read as a connector would be, and what that refuses (a required key missing, settings that do
 * not go together) is listed under {@code connector.class}, the plugin's own entry.
 */
public final class Validation {

    private Validation() {
    }

    /** The {@code ConfigInfos} body for {@code config} of {@code plugin}. */
    public static Map<String, Object> validate(ConnectorPlugin plugin, Map<String, String> config) {
        Map<String, Map<String, Object>> entries = new LinkedHashMap<>();
        Set<String> groups = new LinkedHashSet<>();
        groups.add("Common");
        entries.put("name", entry("name", "STRING", true, null, "the connector's name, which is its job's name",
                "Common", config.get("name"), List.of()));
        entries.put("connector.class", entry("connector.class", "CLASS", true, null,
                "the kind of connector: " + ConnectorPlugin.classNames(), "Common", config.get("connector.class"),
                new ArrayList<>()));
        entries.put("tasks.max", entry("tasks.max", "INT", false, "1", "accepted, without effect: Jet chooses "
                + "how many processors run the job", "Common", config.get("tasks.max"), tasksMaxErrors(config)));
        Map<String, Setting<?>> declared = new LinkedHashMap<>();
        for (SettingGroup g : plugin.groups()) {
            collect(g, g.name(), declared, groups, entries, config);
        }
        for (Map.Entry<String, String> given : config.entrySet()) {
            String key = given.getKey();
            if (entries.containsKey(key) || underPrefix(declared, key)) {
                continue;
            }
            List<String> errors = new ArrayList<>();
            if (!plugin.tolerated().test(key)) {
                errors.add(key + " is not a key of " + plugin.className());
            }
            entries.put(key, entry(key, "STRING", false, null, "not declared", "Other", given.getValue(), errors));
        }
        if (entries.values().stream().allMatch(e -> errors(e).isEmpty())) {
            try {
                Map<String, String> named = new LinkedHashMap<>(config);
                named.putIfAbsent("name", "validate");
                Properties keys = ConnectorPlugin.connectorKeys(named).asProperties();
                keys.putIfAbsent(ConnectorPlugin.JOB_NAME, named.get("name"));
                plugin.submitter().read(SettingsReader.of(keys));
            } catch (IllegalArgumentException | IllegalStateException e) {
                errors(entries.get("connector.class")).add(e.getMessage());
            }
        }
        int count = entries.values().stream().mapToInt(e -> errors(e).size()).sum();
        Map<String, Object> infos = new LinkedHashMap<>();
        infos.put("name", plugin.className());
        infos.put("error_count", count);
        infos.put("groups", List.copyOf(groups));
        infos.put("configs", List.copyOf(entries.values()));
        return infos;
    }

    private static List<String> tasksMaxErrors(Map<String, String> config) {
        String text = config.get("tasks.max");
        List<String> errors = new ArrayList<>();
        if (text != null) {
            try {
                if (Integer.parseInt(text.trim()) < 1) {
                    errors.add("tasks.max must be at least 1, was '" + text + "'");
                }
            } catch (NumberFormatException e) {
                errors.add("tasks.max must be a whole number, was '" + text + "'");
            }
        }
        return errors;
    }

    private static void collect(SettingGroup group, String groupName, Map<String, Setting<?>> declared,
                                Set<String> groups, Map<String, Map<String, Object>> entries,
                                Map<String, String> config) {
        groups.add(groupName);
        for (Setting<?> s : group.settings()) {
            if (s.partGroup() != null) {
                collect(s.partGroup(), s.partGroup().name(), declared, groups, entries, config);
                continue;
            }
            if (entries.containsKey(s.key()) || declared.containsKey(s.key())) {
                continue;
            }
            declared.put(s.key(), s);
            String text = config.get(s.key());
            List<String> errors = new ArrayList<>();
            if (s.prefix() == null && text != null && !text.isBlank()) {
                try {
                    s.parse(text);
                } catch (IllegalArgumentException e) {
                    errors.add(e.getMessage());
                }
            }
            entries.put(s.key(), entry(s.key(), "STRING", !s.nullAllowed() && s.defaultValue() == null,
                    s.defaultValue() == null ? null : s.defaultText(), s.doc(), groupName,
                    s.isSecret() && text != null ? Setting.HIDDEN : text, errors));
        }
    }

    private static boolean underPrefix(Map<String, Setting<?>> declared, String key) {
        return declared.values().stream().anyMatch(s -> s.prefix() != null && key.startsWith(s.prefix())
                && key.length() > s.prefix().length());
    }

    @SuppressWarnings("unchecked")
    private static List<String> errors(Map<String, Object> entry) {
        return (List<String>) ((Map<String, Object>) entry.get("value")).get("errors");
    }

    private static Map<String, Object> entry(String key, String type, boolean required, String defaultValue,
                                             String doc, String group, String value, List<String> errors) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("name", key);
        definition.put("type", type);
        definition.put("required", required);
        definition.put("default_value", defaultValue);
        definition.put("importance", required ? "HIGH" : "MEDIUM");
        definition.put("documentation", doc);
        definition.put("group", group);
        definition.put("width", "NONE");
        definition.put("display_name", key);
        definition.put("dependents", List.of());
        definition.put("order", -1);
        Map<String, Object> val = new LinkedHashMap<>();
        val.put("name", key);
        val.put("value", value);
        val.put("recommended_values", List.of());
        val.put("errors", new ArrayList<>(errors));
        val.put("visible", true);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("definition", definition);
        entry.put("value", val);
        return entry;
    }
}
