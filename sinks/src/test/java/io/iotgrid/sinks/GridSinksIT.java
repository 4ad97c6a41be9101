package io.iotgrid.sinks;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.config.Config;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.test.TestSources;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.iotgrid.core.GridConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Ringbuffer sink on a real member, read back through a real client. */
@Timeout(120)
class GridSinksIT {

    private static final int PORT = 5930;
    private static HazelcastInstance member;
    private static HazelcastInstance client;

    @BeforeAll
    static void start() {
        String cluster = "grid-sinks-it-" + UUID.randomUUID();
        Config config = GridConfigs.loopbackMember(cluster, PORT);
        config.addRingBufferConfig(new RingbufferConfig("large").setCapacity(10_000));
        // Full after 100 items until they expire a second later: the FAIL policy must wait, not lose them.
        config.addRingBufferConfig(new RingbufferConfig("small").setCapacity(100).setTimeToLiveSeconds(1));
        member = Hazelcast.newHazelcastInstance(config);
        client = HazelcastClient.newHazelcastClient(GridConfigs.loopbackClient(cluster, PORT));
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        member.shutdown();
    }

    @Test
    void when_jobWritesMoreThanOneBatch_then_clientReadsAllInOrder() {
        List<Integer> input = IntStream.range(0, 4_321).boxed().toList();
        Pipeline p = Pipeline.create();
        p.readFrom(TestSources.items(input)).writeTo(GridSinks.ringbuffer("large"));

        member.getJet().newJob(p).join();

        assertThat(readAll(client.getRingbuffer("large"))).containsExactlyElementsOf(input);
    }

    @Test
    void when_fullUnderFailPolicy_then_batchesWaitForRoomAndNothingIsLost() {
        Pipeline p = Pipeline.create();
        p.readFrom(TestSources.items(IntStream.range(0, 250).boxed().toList()))
         .writeTo(GridSinks.ringbuffer("small", OverflowPolicy.FAIL, 1));

        member.getJet().newJob(p).join();

        Ringbuffer<Integer> rb = client.getRingbuffer("small");
        assertThat(rb.tailSequence()).as("sequence of the last item written").isEqualTo(249);
    }

    @Test
    void when_argumentsInvalid_then_messageNamesThem() {
        assertThatThrownBy(() -> GridSinks.ringbuffer(" ")).hasMessage("ringbuffer name must not be blank, was ' '");
        assertThatThrownBy(() -> GridSinks.ringbuffer("r", OverflowPolicy.FAIL, 0))
                .hasMessage("maxInFlight must be at least 1, was 0");
    }

    private static <T> List<T> readAll(Ringbuffer<T> rb) {
        List<T> all = new ArrayList<>();
        long seq = rb.headSequence();
        while (seq <= rb.tailSequence()) {
            ReadResultSet<T> batch = rb.readManyAsync(seq, 1, 1000, null).toCompletableFuture().join();
            batch.forEach(all::add);
            seq = batch.getNextSequenceToReadFrom();
        }
        return all;
    }
}
