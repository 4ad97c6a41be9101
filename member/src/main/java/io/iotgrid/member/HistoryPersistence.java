package io.iotgrid.member;

import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.DataConnectionConfig;
import com.hazelcast.config.MapConfig;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.HistoryTier;

import java.util.ArrayList;
import java.util.List;

/**
 * Window history kept in PostgreSQL, for members configured in code (the demo, tests): what
 * {@value #MEMBER_YAML} adds to the member configuration, taken from that file so the two never differ.
 * <pre>{@code
 * Config config = HistoryPersistence.enable(GridConfigs.member(), "jdbc:postgresql://db:5432/iotgrid", "iot",
 *         "secret");
 * }</pre>
 * Members of the distribution use {@value #MEMBER_YAML} itself ({@code HAZELCAST_CONFIG}).
 */
public final class HistoryPersistence {

    /** The member yaml with history in PostgreSQL, on the classpath of iot-grid-member.jar (from cluster-config/). */
    public static final String MEMBER_YAML = "iot-grid-member-postgres.yaml";
    /** The JDBC data connection that yaml declares and its map stores use. */
    public static final String DATA_CONNECTION = "iot-grid-history";

    private HistoryPersistence() {
    }

    /**
     * Adds to {@code config} the data connection {@value #DATA_CONNECTION} to {@code jdbcUrl} as {@code user} with
     * {@code password} (both {@code null}: whatever the URL says, e.g. {@code ?user=iot&password=secret}), and the
     * six history maps of the default stats maps ({@code sensor_stats_history}, ... {@code place_stats_history_day})
     * with the {@link HistoryMapStore} (write-behind, EAGER load, the grid's retention as their time to live), all
     * as {@value #MEMBER_YAML} has them. Returns {@code config}.
     */
    public static Config enable(Config config, String jdbcUrl, String user, String password) {
        Config declared = new ClasspathYamlConfig(MEMBER_YAML);
        DataConnectionConfig connection = new DataConnectionConfig(declared.getDataConnectionConfig(DATA_CONNECTION));
        connection.setProperty("jdbcUrl", jdbcUrl);
        for (String[] credential : new String[][] {{"user", user}, {"password", password}}) {
            if (credential[1] == null) {
                connection.getProperties().remove(credential[0]);
            } else {
                connection.setProperty(credential[0], credential[1]);
            }
        }
        config.addDataConnectionConfig(connection);
        for (String map : historyMaps()) {
            config.addMapConfig(new MapConfig(declared.getMapConfig(map)));
        }
        return config;
    }

    /** The six history maps the store keeps: every {@link HistoryTier} of the default sensor and place stats maps. */
    public static List<String> historyMaps() {
        List<String> maps = new ArrayList<>();
        for (String stats : List.of(GridNames.SENSOR_STATS, GridNames.PLACE_STATS)) {
            for (HistoryTier tier : HistoryTier.values()) {
                maps.add(tier.mapName(stats));
            }
        }
        return maps;
    }
}
