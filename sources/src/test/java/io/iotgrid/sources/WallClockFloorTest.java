package io.iotgrid.sources;

import com.hazelcast.jet.Traverser;
import com.hazelcast.jet.core.EventTimeMapper;
import com.hazelcast.jet.core.EventTimePolicy;
import com.hazelcast.jet.core.Watermark;
import com.hazelcast.jet.core.WatermarkPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.hazelcast.internal.serialization.impl.SerializationUtil.checkSerializable;
import static org.assertj.core.api.Assertions.assertThat;

class WallClockFloorTest {

    private static final long ALLOWED_LAG = 2_000;
    private static final Duration QUIET = Duration.ofSeconds(30);

    private static EventTimePolicy<Long> byData() {
        return EventTimePolicy.eventTimePolicy(t -> t, WatermarkPolicy.limitingLag(ALLOWED_LAG), 1, 0,
                EventTimePolicy.DEFAULT_IDLE_TIMEOUT);
    }

    @Test
    void when_noQuietLag_then_policyUnchanged() {
        EventTimePolicy<Long> policy = byData();

        assertThat(WallClockFloor.apply(policy, null)).isSameAs(policy);
    }

    @Test
    void when_noData_then_watermarkIsWallClockLessQuietLagAndAllowedLag() {
        WatermarkPolicy floored = WallClockFloor.apply(byData(), QUIET).newWmPolicyFn().get();

        long before = System.currentTimeMillis();
        long watermark = floored.getCurrentWatermark();
        long after = System.currentTimeMillis();

        long lag = QUIET.toMillis() + ALLOWED_LAG;
        assertThat(watermark).isBetween(before - lag, after - lag);
    }

    @Test
    void when_dataNewerThanFloor_then_dataDecides() {
        WatermarkPolicy floored = WallClockFloor.apply(byData(), QUIET).newWmPolicyFn().get();
        long ahead = System.currentTimeMillis() + 60_000;

        floored.reportEvent(ahead);

        assertThat(floored.getCurrentWatermark()).isEqualTo(ahead - ALLOWED_LAG);
    }

    @Test
    void when_partitionHasNoData_then_floorMovesTheWatermarkAndPartitionNeverIdles() {
        EventTimePolicy<Long> floored = WallClockFloor.apply(byData(), QUIET);
        EventTimeMapper<Long> mapper = new EventTimeMapper<>(floored);
        mapper.addPartitions(1);

        long lag = QUIET.toMillis() + ALLOWED_LAG;
        long before = System.currentTimeMillis();
        Traverser<Object> idle = mapper.flatMapIdle();
        long after = System.currentTimeMillis();
        List<Object> emitted = new ArrayList<>();
        for (Object item; (item = idle.next()) != null; ) {
            emitted.add(item);
        }

        assertThat(floored.idleTimeoutMillis()).as("never idle").isZero();
        assertThat(emitted).singleElement().isInstanceOfSatisfying(Watermark.class, wm ->
                assertThat(wm.timestamp()).isBetween(before - lag, after - lag));
        checkSerializable(floored, "floored policy");
    }
}
