package io.iotgrid.sources.impl;

import java.io.Serializable;

/**
 * Where a topic carries the sensor and place ids, e.g. {@code plant/{placeId}/sensors/{sensorId}}: each level is
 * text that must match exactly, {@code {sensorId}}, {@code {placeId}}, {@code +} (any one level) or, last, {@code #}
 * (any number of further levels, none included).
 */
public final class TopicTemplate implements Serializable {

    private static final long serialVersionUID = 1L;
    static final String SENSOR = "{sensorId}";
    static final String PLACE = "{placeId}";

    private final String template;
    private final String[] levels;

    /** @throws IllegalArgumentException when {@code template} is not {@linkplain #isValid valid} */
    public TopicTemplate(String template) {
        if (!isValid(template)) {
            throw new IllegalArgumentException("not a topic template: '" + template + "'");
        }
        this.template = template;
        this.levels = template.split("/", -1);
    }

    /** Whether {@code template} is one: valid levels, each id at most once, {@code #} only last. */
    public static boolean isValid(String template) {
        String[] levels = template.split("/", -1);
        int sensors = 0;
        int places = 0;
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals(SENSOR)) {
                sensors++;
            } else if (level.equals(PLACE)) {
                places++;
            } else if (level.equals("#")) {
                if (i != levels.length - 1) {
                    return false;
                }
            } else if (!level.equals("+") && (level.contains("+") || level.contains("#") || level.contains("{")
                    || level.contains("}"))) {
                return false;
            }
        }
        return sensors <= 1 && places <= 1;
    }

    /**
     * The ids in {@code topic}: {@code [sensorId, placeId]}, each {@code null} when the template names none; or
     * {@code null} when the topic does not match, or an id level is empty.
     */
    public String[] ids(String topic) {
        String[] parts = topic.split("/", -1);
        String[] ids = new String[2];
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#")) {
                return ids;
            }
            if (i >= parts.length) {
                return null;
            }
            switch (level) {
                case SENSOR, PLACE -> {
                    if (parts[i].isEmpty()) {
                        return null;
                    }
                    ids[level.equals(SENSOR) ? 0 : 1] = parts[i];
                }
                case "+" -> {
                }
                default -> {
                    if (!level.equals(parts[i])) {
                        return null;
                    }
                }
            }
        }
        return parts.length == levels.length ? ids : null;
    }

    @Override
    public String toString() {
        return template;
    }
}
