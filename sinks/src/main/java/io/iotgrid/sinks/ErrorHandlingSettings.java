package io.iotgrid.sinks;

import io.iotgrid.core.GridNames;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;

import java.time.Duration;

/**
 * The error-handling settings every sink shares, declared once: {@link GridSinkSettings}, {@link CoapSinkSettings}
 * and {@link MqttSinkSettings} add these very definitions to their groups and read them through these accessors, so
 * keys, defaults and checks are the same.
 */
public abstract class ErrorHandlingSettings extends Settings {

    private static final long serialVersionUID = 1L;

    public static final Setting<ErrorPolicy> ERROR_POLICY = Setting.enumeration("error.policy", ErrorPolicy.class,
            ErrorPolicy.THROW, "what a failed write meets: `throw` fails the job, `noop` writes its items to the dead "
                    + "letters and goes on, `retry` sends it again");
    public static final Setting<Integer> MAX_RETRIES = Setting.integer("max.retries", 20,
            "`retry`: how often a failed write is sent again before giving up (a grid sink then fails the job, a "
                    + "CoAP or MQTT sink dead-letters the item)").require(n -> n >= 0, "at least 0");
    public static final Setting<Duration> RETRY_INTERVAL = Setting.duration("retry.interval", Duration.ofSeconds(1),
            "`retry`: how long to wait before sending a failed write again").require(d -> d.toMillis() >= 1,
            "at least 1ms");
    public static final Setting<String> DEAD_LETTERS_MAP = Setting.string("dead.letters.map", GridNames.DEAD_LETTERS,
            "IMap of the cluster the job runs in that failed items are written to, as dead letters");

    protected ErrorHandlingSettings(SettingsBuilder<?, ?> builder) {
        super(builder);
    }

    /** {@link #ERROR_POLICY}. */
    public ErrorPolicy errorPolicy() {
        return get(ERROR_POLICY);
    }

    /** {@link #MAX_RETRIES}. */
    public int maxRetries() {
        return get(MAX_RETRIES);
    }

    /** {@link #RETRY_INTERVAL}. */
    public Duration retryInterval() {
        return get(RETRY_INTERVAL);
    }

    /** {@link #DEAD_LETTERS_MAP}. */
    public String deadLettersMap() {
        return get(DEAD_LETTERS_MAP);
    }
}
