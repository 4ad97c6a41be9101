package io.iotgrid.sources;

import com.hazelcast.function.SupplierEx;
import com.hazelcast.jet.core.EventTimePolicy;
import com.hazelcast.jet.core.WatermarkPolicy;

import java.time.Duration;

/**
 * Keeps event time moving while a source is quiet: every partition of a source (a Kafka partition, an observed CoAP
 * resource) counts as having seen an event stamped {@code quietCloseAfter} behind the wall clock, so its watermark is
 * at least the wall clock less that lag and less the allowed lag of the source's watermark policy. While data is
 * newer than that, the floor changes nothing; when it stops, the windows that it left open still close. Data stamped
 * further behind the wall clock than the lag then counts as late, which is why replaying history wants no floor.
 * <p>
 * The sources of this module take it as a parameter ({@code quietCloseAfter}). A source of your own made with
 * {@code Sources.streamFromProcessorWithWatermarks} applies it to the policy Jet hands it:
 * <pre>{@code
 * Sources.streamFromProcessorWithWatermarks("mySource", false,
 *         policy -> mySourceP(WallClockFloor.apply(policy, Duration.ofSeconds(30))))
 * }</pre>
 * Partitions never go idle under a floor: an idle partition would leave the watermark where it is, and moving it is
 * what the floor is for.
 */
public final class WallClockFloor {

    private WallClockFloor() {
    }

    /**
     * {@code policy} with every partition's event time at least the wall clock less {@code quietCloseAfter}, and no
     * idle timeout; {@code policy} itself when {@code quietCloseAfter} is {@code null} (pure event time: a partition
     * without data for the policy's idle timeout, 60 s by default, then stops holding the watermark back).
     */
    public static <T> EventTimePolicy<T> apply(EventTimePolicy<T> policy, Duration quietCloseAfter) {
        if (quietCloseAfter == null) {
            return policy;
        }
        SupplierEx<? extends WatermarkPolicy> byData = policy.newWmPolicyFn();
        long lagMillis = quietCloseAfter.toMillis();
        return EventTimePolicy.eventTimePolicy(policy.timestampFn(), policy.wrapFn(),
                () -> new Floored(byData.get(), lagMillis),
                policy.watermarkThrottlingFrameSize(), policy.watermarkThrottlingFrameOffset(), 0, policy.wmKey());
    }

    /**
     * Reports the wall clock less the lag as an event before each look at the watermark, so the wrapped policy
     * applies its own allowed lag to the floor as it does to data.
     */
    private record Floored(WatermarkPolicy byData, long lagMillis) implements WatermarkPolicy {

        @Override
        public void reportEvent(long timestamp) {
            byData.reportEvent(timestamp);
        }

        @Override
        public long getCurrentWatermark() {
            byData.reportEvent(System.currentTimeMillis() - lagMillis);
            return byData.getCurrentWatermark();
        }
    }
}
