package io.iotgrid.member;

import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.settings.SettingsReader;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the store decides without a database: its tier, its properties, and which failures mean "unreachable". */
class HistoryMapStoreTest {

    @Test
    void when_historyMapNamed_then_tierFromItsSuffix() {
        assertThat(HistoryMapStore.tierOf("sensor_stats_history")).isEqualTo(HistoryTier.WINDOW);
        assertThat(HistoryMapStore.tierOf("place_stats_history_hour")).isEqualTo(HistoryTier.HOUR);
        assertThat(HistoryMapStore.tierOf("kafka_place_stats_history_day")).isEqualTo(HistoryTier.DAY);
        assertThatThrownBy(() -> HistoryMapStore.tierOf("place_stats"))
                .hasMessageContaining("was configured on 'place_stats'");
    }

    @Test
    void when_propertiesRead_then_defaultsPerTier_andMistakesNamed() {
        HistoryStoreSettings s = HistoryStoreSettings.builder()
                .read(SettingsReader.of(Map.of("data.connection", "db", "retention.hour", "90d"))).build();
        assertThat(s.dataConnection()).isEqualTo("db");
        assertThat(s.retention(HistoryTier.WINDOW)).isEqualTo(Duration.ofDays(30));
        assertThat(s.retention(HistoryTier.HOUR)).isEqualTo(Duration.ofDays(90));
        assertThat(s.retention(HistoryTier.DAY)).isNull();
        assertThatThrownBy(() -> HistoryStoreSettings.builder().build()).hasMessageContaining("data.connection is "
                + "required");
        assertThatThrownBy(() -> SettingsReader.of(Map.of("data.conection", "db"))
                .rejectUnknown(HistoryStoreSettings.GROUP)).hasMessageContaining("unknown keys [data.conection]");
    }

    @Test
    void when_failureClassified_then_onlyConnectionTroubleIsUnreachable() {
        assertThat(HistoryMapStore.unreachable(new IllegalStateException("pool",
                new SQLException("refused", "08001")))).isTrue();
        assertThat(HistoryMapStore.unreachable(new RuntimeException(new ConnectException("refused")))).isTrue();
        assertThat(HistoryMapStore.unreachable(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(HistoryMapStore.unreachable(new SQLException("password authentication failed", "28P01")))
                .isFalse();
        assertThat(HistoryMapStore.unreachable(new SQLException("relation does not exist", "42P01"))).isFalse();
    }
}
