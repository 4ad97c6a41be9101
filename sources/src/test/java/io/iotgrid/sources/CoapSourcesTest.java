package io.iotgrid.sources;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.jet.core.EventTimePolicy;
import com.hazelcast.jet.core.WatermarkPolicy;
import io.iotgrid.core.RawReading;
import io.iotgrid.coap.CoapSecurity;
import io.iotgrid.sources.impl.StreamCoapP;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static com.hazelcast.internal.serialization.impl.SerializationUtil.checkSerializable;
import static org.assertj.core.api.Assertions.assertThat;

class CoapSourcesTest {

    @Test
    void when_oneResource_then_stageNamedAfterIt() {
        assertThat(CoapSources.stageName(CoapObserveSettings.of("coap://127.0.0.1:5683/sensors/s-1")))
                .isEqualTo("coapObserve(coap://127.0.0.1:5683/sensors/s-1)");
    }

    @Test
    void when_manyResources_then_stageNameStaysShortEnoughForMetricTags() {
        List<String> uris = IntStream.rangeClosed(1, 10_000)
                .mapToObj(i -> "coap://127.0.0.1:5683/sensors/s-" + i).toList();

        assertThat(CoapSources.stageName(CoapObserveSettings.of(uris.toArray(String[]::new))))
                .isEqualTo("coapObserve(coap://127.0.0.1:5683/sensors/s-1 and 9999 more)")
                .hasSizeLessThan(255);
    }

    @Test
    void when_sourceShippedToMembers_then_serializable() {
        CoapObserveSettings settings = CoapObserveSettings.builder()
                .set(CoapObserveSettings.SECURITY, CoapSecurity.psk("gw", new byte[]{1}))
                .set(CoapObserveSettings.URIS, List.of("coaps://127.0.0.1:5684/sensors/s-1"))
                .set(CoapObserveSettings.DISTRIBUTED, true).build();

        checkSerializable(StreamCoapP.metaSupplier(settings, CoapNotification::toRawReading,
                EventTimePolicy.noEventTime()), "observe");
        checkSerializable(StreamCoapP.metaSupplier(settings, FunctionEx.identity(), EventTimePolicy.noEventTime()),
                "observeNotifications");
        EventTimePolicy<RawReading> floored = WallClockFloor.apply(EventTimePolicy.eventTimePolicy(
                RawReading::receivedAt, WatermarkPolicy.limitingLag(5_000), 0, 0,
                EventTimePolicy.DEFAULT_IDLE_TIMEOUT), Duration.ofSeconds(30));
        checkSerializable(StreamCoapP.metaSupplier(settings, CoapNotification::toRawReading, floored),
                "observe with a wall-clock floor");
    }

    @Test
    void when_discoveries_then_namedAfterTheServer() {
        assertThat(CoapSources.stageName(CoapObserveSettings.discover(CoapDiscovery.of("coap://127.0.0.1:5683",
                "/sensors/*"))))
                .isEqualTo("coapObserve(coap://127.0.0.1:5683/.well-known/core /sensors/*)");
    }
}
