package io.iotgrid.jobs;

import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.logging.Logger;
import io.iotgrid.kcql.KcqlSinks;
import io.iotgrid.kcql.StreamReactorProperties;
import io.iotgrid.kcql.TopicRecord;

/**
 * The job a stream-reactor Hazelcast sink configuration becomes: records of the source routed into grid
 * structures by the {@code connect.hazelcast.kcql} statements, with the old error policy, retries and target
 * cluster. Example:
 * {@code KcqlRoutingJob.build(source, StreamReactorProperties.load(Path.of("hazelcast-sink.properties")))}.
 * The source is a parameter, so the same job reads Kafka topics, or any Jet source of {@link TopicRecord}s.
 * Submit it with {@link JobSerializers#register} on its {@code JobConfig}, so it can share members with other
 * iot-grid jobs submitted from jars.
 */
public final class KcqlRoutingJob {

    private KcqlRoutingJob() {
    }

    /**
     * The pipeline; logs one warning for each key of {@code properties} that is accepted but has no effect.
     * Delivery: as {@link KcqlSinks} says, at least once into each structure.
     */
    public static Pipeline build(StreamSource<TopicRecord> source, StreamReactorProperties properties) {
        properties.warnings().forEach(Logger.getLogger(KcqlRoutingJob.class)::warning);
        Pipeline p = Pipeline.create();
        KcqlSinks.writeTo(p.readFrom(source).withoutTimestamps().setName("records"), properties.statements(),
                properties.settings());
        return p;
    }
}
