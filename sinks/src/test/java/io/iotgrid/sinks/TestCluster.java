package io.iotgrid.sinks;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.pipeline.BatchStage;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.test.TestSources;
import io.iotgrid.core.GridConfigs;

import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One loopback member, on which the jobs run, and a client that reads back what they wrote. The cluster name is
 * unique, so members of other tests on nearby ports never join it.
 */
record TestCluster(HazelcastInstance member, HazelcastInstance client) implements AutoCloseable {

    static TestCluster start(String namePrefix, int port, Consumer<Config> configure) {
        String cluster = namePrefix + '-' + UUID.randomUUID();
        Config config = GridConfigs.loopbackMember(cluster, port);
        configure.accept(config);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        return new TestCluster(member, HazelcastClient.newHazelcastClient(GridConfigs.loopbackClient(cluster, port)));
    }

    /** Starts a batch job that writes {@code items} to {@code sink}. */
    <T> Job submit(List<T> items, Sink<T> sink) {
        return submit(items, List.of(sink));
    }

    /** Starts a batch job that writes {@code items} to each of {@code sinks}. */
    <T> Job submit(List<T> items, List<Sink<T>> sinks) {
        Pipeline p = Pipeline.create();
        BatchStage<T> stage = p.readFrom(TestSources.items(items));
        sinks.forEach(stage::writeTo);
        // Keep the job's metrics after it completes, so that tests can check what the sinks counted.
        return member.getJet().newJob(p, new JobConfig().setStoreMetricsAfterJobCompletion(true));
    }

    @Override
    public void close() {
        client.shutdown();
        member.shutdown();
    }
}
