package io.iotgrid.console;

import io.iotgrid.core.GridNames;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The console's own settings, the {@code console.*} keys: where it serves, who may change connectors, how much a
 * request and a browser may take, and the cluster it is a client of. Loopback by default: bound to any other
 * address, {@link #builder()}'s {@code build()} refuses settings without an API token or basic-auth credentials.
 * <pre>{@code
 * ConsoleSettings s = ConsoleSettings.builder().set(ConsoleSettings.PORT, 0).build();
 * }</pre>
 */
public final class ConsoleSettings extends Settings {

    private static final long serialVersionUID = 1L;

    public static final SettingGroup GROUP = new SettingGroup("console");

    public static final Setting<String> BIND_ADDRESS = GROUP.add(Setting.string("console.bind.address", "127.0.0.1",
            "the address the console listens on; any but a loopback address needs `console.api.token` or "
                    + "`console.basic.user` and `console.basic.password`"));
    public static final Setting<Integer> PORT = GROUP.add(Setting.integer("console.port", 8083,
            "the HTTP port of the page and the REST API (Kafka Connect's); 0: any free port")
            .require(p -> p >= 0 && p <= 65_535, "between 0 and 65535"));
    public static final Setting<String> API_TOKEN = GROUP.add(Setting.string("console.api.token", null,
            "a token every mutating REST call must send as `Authorization: Bearer <token>`; none by default")
            .optional().secret());
    public static final Setting<String> BASIC_USER = GROUP.add(Setting.string("console.basic.user", null,
            "a user name every mutating REST call may send with HTTP basic authentication, with "
                    + "`console.basic.password`; none by default").optional());
    public static final Setting<String> BASIC_PASSWORD = GROUP.add(Setting.string("console.basic.password", null,
            "the password of `console.basic.user`").optional().secret());
    public static final Setting<Integer> MAX_BODY_BYTES = GROUP.add(Setting.integer("console.max.body.bytes", 65_536,
            "the largest request body accepted; a larger one is refused with 413")
            .require(n -> n >= 1_024, "at least 1024"));
    public static final Setting<Integer> EVENT_QUEUE = GROUP.add(Setting.integer("console.event.queue", 1_000,
            "live events held for one browser; a browser that falls this far behind is dropped (it reconnects and "
                    + "starts from a fresh snapshot) so that it never holds up the grid's listeners")
            .require(n -> n >= 16, "at least 16"));
    public static final Setting<Integer> MAX_BROWSERS = GROUP.add(Setting.integer("console.max.browsers", 32,
            "live pages served at once; one more is answered 503")
            .require(n -> n >= 1, "at least 1"));
    public static final Setting<String> CONNECTORS_MAP = GROUP.add(Setting.string("console.connectors.map",
            "iot_grid_connectors", "the IMap holding each connector's configuration, in the cluster so that a "
                    + "console restart loses nothing"));
    public static final Setting<String> PLACE_STATS_MAP = GROUP.add(Setting.string("console.place.stats.map",
            GridNames.PLACE_STATS, "the place stats map shown (its closed map and history tables beside it)"));
    public static final Setting<String> SENSOR_STATS_MAP = GROUP.add(Setting.string("console.sensor.stats.map",
            GridNames.SENSOR_STATS, "the sensor stats map whose history a sensor page charts"));
    public static final Setting<String> ALERTS_TOPIC = GROUP.add(Setting.string("console.alerts.topic",
            GridNames.ALERTS, "the reliable topic of alerts shown as they arrive"));
    public static final Setting<String> DEAD_LETTERS_MAP = GROUP.add(Setting.string("console.dead.letters.map",
            GridNames.DEAD_LETTERS, "the dead letters map shown as letters arrive"));
    public static final Setting<String> CLUSTER_NAME = GROUP.add(Setting.string("console.cluster.name", "iot-grid",
            "`java -jar iot-grid-console.jar`: the name of the cluster to connect to"));
    public static final Setting<List<String>> CLUSTER_MEMBERS = GROUP.add(Setting.list("console.cluster.members",
            List.of("127.0.0.1:5701"), "`java -jar iot-grid-console.jar`: members to connect to, "
                    + "comma-separated `host:port`; the client learns the rest of the cluster from them"));

    private ConsoleSettings(Builder builder) {
        super(builder);
    }

    /** A builder with every default: loopback, port 8083, no credentials. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static ConsoleSettings defaults() {
        return builder().build();
    }

    /** Whether mutating calls need credentials: a token or basic-auth credentials are set. */
    public boolean authenticates() {
        return get(API_TOKEN) != null || get(BASIC_USER) != null;
    }

    /** Builds {@link ConsoleSettings}. */
    public static final class Builder extends SettingsBuilder<ConsoleSettings, Builder> {

        private Builder() {
            super(GROUP);
        }

        @Override
        protected void sanityCheck() {
            if ((get(BASIC_USER) == null) != (get(BASIC_PASSWORD) == null)) {
                throw new IllegalArgumentException(BASIC_USER.key() + " and " + BASIC_PASSWORD.key()
                        + " go together: give both or neither");
            }
            String bind = get(BIND_ADDRESS);
            if (!isLoopback(bind) && get(API_TOKEN) == null && get(BASIC_USER) == null) {
                throw new IllegalArgumentException(BIND_ADDRESS.key() + " is '" + bind + "', not a loopback "
                        + "address: set " + API_TOKEN.key() + " or " + BASIC_USER.key() + " and "
                        + BASIC_PASSWORD.key() + ", or anyone who reaches the port can change the connectors");
            }
        }

        private static boolean isLoopback(String address) {
            try {
                return InetAddress.getByName(address).isLoopbackAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(BIND_ADDRESS.key() + " must be an address of this machine, "
                        + "was '" + address + "'", e);
            }
        }

        @Override
        protected ConsoleSettings create() {
            return new ConsoleSettings(this);
        }
    }
}
