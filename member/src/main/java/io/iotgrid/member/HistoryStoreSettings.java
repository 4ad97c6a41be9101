package io.iotgrid.member;

import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;

import java.time.Duration;

/**
 * The properties of the {@link HistoryMapStore}, as a member's map-store configuration gives them
 * ({@code map-store.properties} in the member yaml). Each is declared once below (key, default, check, meaning); a
 * bad value fails the map's creation with a message that names its key and the value.
 * <pre>{@code
 * HistoryStoreSettings s = HistoryStoreSettings.builder()
 *         .set(HistoryStoreSettings.DATA_CONNECTION, "history-db")
 *         .set(HistoryStoreSettings.WINDOW_RETENTION, Duration.ofDays(7))
 *         .build();
 * }</pre>
 * The database keeps its own retention, separate from the grid's ({@code history.*.retention} of the job): the
 * grid holds what dashboards ask for often, the database what is worth keeping.
 */
public final class HistoryStoreSettings extends Settings {

    private static final long serialVersionUID = 1L;

    /** Every property of the history map store. */
    public static final SettingGroup GROUP = new SettingGroup("history store");

    public static final Setting<String> DATA_CONNECTION = GROUP.add(Setting.string("data.connection", null,
            "name of the JDBC data connection (`data-connection` of the member config) to the PostgreSQL database"));
    public static final Setting<Duration> WINDOW_RETENTION = GROUP.add(retention(HistoryTier.WINDOW,
            Duration.ofDays(30), "how long rows of the closed windows (tables `<stats map>_history`) stay in the "
                    + "database"));
    public static final Setting<Duration> HOUR_RETENTION = GROUP.add(retention(HistoryTier.HOUR,
            Duration.ofDays(730), "how long hourly rows (tables `<stats map>_history_hour`) stay in the database"));
    public static final Setting<Duration> DAY_RETENTION = GROUP.add(retention(HistoryTier.DAY, null,
            "how long daily rows (tables `<stats map>_history_day`) stay in the database"));
    public static final Setting<Duration> RETENTION_INTERVAL = GROUP.add(Setting.duration("retention.interval",
            Duration.ofHours(1), "how often the oldest member deletes the rows past their retention")
            .require(d -> d.toMillis() >= 1, "at least 1ms"));

    private HistoryStoreSettings(Builder builder) {
        super(builder);
    }

    /** A builder with every property at its default; {@link #DATA_CONNECTION} has none and must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@link #DATA_CONNECTION}. */
    public String dataConnection() {
        return get(DATA_CONNECTION);
    }

    /**
     * How long the database keeps rows of {@code tier} ({@link #WINDOW_RETENTION}, {@link #HOUR_RETENTION},
     * {@link #DAY_RETENTION}); {@code null}: for ever.
     */
    public Duration retention(HistoryTier tier) {
        return get(switch (tier) {
            case WINDOW -> WINDOW_RETENTION;
            case HOUR -> HOUR_RETENTION;
            case DAY -> DAY_RETENTION;
        });
    }

    /** {@link #RETENTION_INTERVAL}. */
    public Duration retentionInterval() {
        return get(RETENTION_INTERVAL);
    }

    private static Setting<Duration> retention(HistoryTier tier, Duration defaultValue, String doc) {
        return Setting.duration("retention." + tier.label(), defaultValue, doc + "; `none` keeps them for ever")
                      .require(d -> d.toMillis() >= 1, "at least 1ms").orNone();
    }

    /** Builds {@link HistoryStoreSettings}. */
    public static final class Builder extends SettingsBuilder<HistoryStoreSettings, Builder> {

        private Builder() {
            super(GROUP);
        }

        @Override
        protected HistoryStoreSettings create() {
            return new HistoryStoreSettings(this);
        }
    }
}
