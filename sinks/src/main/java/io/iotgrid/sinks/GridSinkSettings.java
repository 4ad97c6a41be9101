package io.iotgrid.sinks;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConfigXmlGenerator;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.SettingsBuilder;

import java.time.Duration;

/**
 * How a {@link GridSinks} sink batches, retries and reports failed writes, and which cluster it writes to. Each
 * setting is declared once below (key, default, check, meaning); the README's option table lists the same. A bad
 * value fails with a message that names its key and the value.
 * <pre>{@code
 * GridSinkSettings retry = GridSinkSettings.builder()
 *         .set(GridSinkSettings.ERROR_POLICY, ErrorPolicy.RETRY)
 *         .set(GridSinkSettings.RETRY_INTERVAL, Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 * Sinks whose structure has only blocking calls (IQueue, ISet, IList) write one batch at a time whatever
 * {@link #MAX_IN_FLIGHT} says.
 */
public final class GridSinkSettings extends ErrorHandlingSettings {

    private static final long serialVersionUID = 1L;

    /** Largest {@link #BATCH_SIZE}: the most items a Ringbuffer accepts in one call. */
    public static final int MAX_BATCH_SIZE = 1000;

    /** Every setting of a grid sink. */
    public static final SettingGroup GROUP = new SettingGroup("grid sink");

    public static final Setting<ErrorPolicy> ERROR_POLICY = GROUP.add(ErrorHandlingSettings.ERROR_POLICY);
    public static final Setting<Integer> MAX_RETRIES = GROUP.add(ErrorHandlingSettings.MAX_RETRIES);
    public static final Setting<Duration> RETRY_INTERVAL = GROUP.add(ErrorHandlingSettings.RETRY_INTERVAL);
    public static final Setting<Integer> MAX_IN_FLIGHT = GROUP.add(Setting.integer("max.in.flight", 4,
            "batches one processor may have sent and not yet had acknowledged; it takes no more items meanwhile, "
                    + "which back-pressures the job").require(n -> n >= 1, "at least 1"));
    public static final Setting<Integer> BATCH_SIZE = GROUP.add(Setting.integer("batch.size", MAX_BATCH_SIZE,
            "the most items one call writes, at most " + MAX_BATCH_SIZE + " (the most a Ringbuffer takes in one call)")
            .require(n -> n >= 1 && n <= MAX_BATCH_SIZE, "between 1 and " + MAX_BATCH_SIZE));
    public static final Setting<String> DEAD_LETTERS_MAP = GROUP.add(ErrorHandlingSettings.DEAD_LETTERS_MAP);
    public static final Setting<String> REMOTE_CLIENT_XML = GROUP.add(Setting.string("remote.client.xml", null,
            "Hazelcast client XML of another cluster to write to (dead letters stay in the job's); not set: the "
                    + "cluster the job runs in").optional());

    private GridSinkSettings(Builder builder) {
        super(builder);
    }

    /** Every setting at its default. */
    public static GridSinkSettings defaults() {
        return builder().build();
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }




    /** {@link #MAX_IN_FLIGHT}. */
    public int maxInFlight() {
        return get(MAX_IN_FLIGHT);
    }

    /** {@link #BATCH_SIZE}. */
    public int batchSize() {
        return get(BATCH_SIZE);
    }


    /** {@link #REMOTE_CLIENT_XML}; {@code null} for the cluster the job runs in. */
    public String remoteClientXml() {
        return get(REMOTE_CLIENT_XML);
    }

    /** Builds {@link GridSinkSettings}. */
    public static final class Builder extends SettingsBuilder<GridSinkSettings, Builder> {

        private Builder() {
            super(GROUP);
        }

        private Builder(GridSinkSettings from) {
            super(GROUP, from);
        }

        /**
         * Writes to the cluster {@code clientConfig} connects to instead of the one the job runs in; dead letters
         * still go to the job's own cluster. Sets {@link #REMOTE_CLIENT_XML}: {@link ClientConfig} is not
         * serializable, so each sink processor starts its own client from the XML, with {@code async-start} on,
         * so an unreachable cluster fails writes (and meets the error policy) instead of holding up the job's
         * start. The client gives up when its {@code cluster-connect-timeout} passes.
         */
        public Builder remoteCluster(ClientConfig clientConfig) {
            if (clientConfig == null) {
                throw new IllegalArgumentException("clientConfig must not be null");
            }
            return set(REMOTE_CLIENT_XML, ClientConfigXmlGenerator.generate(clientConfig));
        }

        @Override
        protected GridSinkSettings create() {
            return new GridSinkSettings(this);
        }
    }
}
