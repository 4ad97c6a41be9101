package io.iotgrid.sinks;

import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.Ringbuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.stream.IntStream;

import static io.iotgrid.core.testing.GridReads.readAll;
import static org.assertj.core.api.Assertions.assertThat;

/** The Ringbuffer sink on a real member, read back through a real client. */
@Timeout(120)
class GridSinksIT {

    private static final int PORT = 5960;
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start("grid-sinks-it", PORT, config -> {
            config.addRingBufferConfig(new RingbufferConfig("large").setCapacity(10_000));
            // Full after 100 items until they expire a second later: the FAIL policy must wait, not lose them.
            config.addRingBufferConfig(new RingbufferConfig("small").setCapacity(100).setTimeToLiveSeconds(1));
        });
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void when_jobWritesMoreThanOneBatch_then_clientReadsAllInOrder() {
        List<Integer> input = IntStream.range(0, 4_321).boxed().toList();
        cluster.submit(input, GridSinks.ringbuffer("large")).join();

        assertThat(readAll(cluster.client().getRingbuffer("large"))).containsExactlyElementsOf(input);
    }

    @Test
    void when_fullUnderFailPolicy_then_batchesWaitForRoomAndNothingIsLost() {
        cluster.submit(IntStream.range(0, 250).boxed().toList(), GridSinks.ringbuffer("small", OverflowPolicy.FAIL, 1))
               .join();

        Ringbuffer<Integer> rb = cluster.client().getRingbuffer("small");
        assertThat(rb.tailSequence()).as("sequence of the last item written").isEqualTo(249);
    }
}
