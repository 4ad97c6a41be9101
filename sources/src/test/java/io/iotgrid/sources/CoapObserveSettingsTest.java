package io.iotgrid.sources;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static com.hazelcast.internal.serialization.impl.SerializationUtil.checkSerializable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoapObserveSettingsTest {

    private static final String S1 = "coap://127.0.0.1:5683/sensors/s-1";
    private static final String S2 = "coap://127.0.0.1:5683/sensors/s-2";

    @Test
    void when_ofUris_then_defaults() {
        CoapObserveSettings settings = CoapObserveSettings.of(S1, S2);

        assertThat(settings.resources()).containsExactly(S1, S2);
        assertThat(settings.queueCapacity()).isEqualTo(10_000);
        assertThat(settings.confirmable()).isTrue();
    }

    @Test
    void when_withMethods_then_copiesChangeOneField() {
        CoapObserveSettings settings = CoapObserveSettings.of(S1);

        assertThat(settings.withQueueCapacity(5)).isEqualTo(new CoapObserveSettings(List.of(S1), 5, true));
        assertThat(settings.withConfirmable(false)).isEqualTo(new CoapObserveSettings(List.of(S1), 10_000, false));
        assertThat(settings.withResources(List.of(S2))).isEqualTo(CoapObserveSettings.of(S2));
        assertThat(settings).isEqualTo(CoapObserveSettings.of(S1));
    }

    @Test
    void when_resourcesListChangesLater_then_settingsKeepTheirCopy() {
        List<String> resources = new ArrayList<>(List.of(S1));
        CoapObserveSettings settings = CoapObserveSettings.of(S1).withResources(resources);
        resources.add(S2);

        assertThat(settings.resources()).containsExactly(S1);
    }

    @Test
    void when_settingsCapturedByJobLambdas_then_serializable() {
        checkSerializable(CoapObserveSettings.of(S1, S2).withQueueCapacity(7).withConfirmable(false), "settings");
    }

    @Test
    void when_noResources_then_rejected() {
        assertThatThrownBy(CoapObserveSettings::of)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resources must list at least one coap:// URI, was []");
        assertThatThrownBy(() -> CoapObserveSettings.of(S1).withResources(null))
                .hasMessageContaining("resources must list at least one coap:// URI, was null");
    }

    @Test
    void when_resourceNotCoap_then_rejectedNamingIt() {
        assertThatThrownBy(() -> CoapObserveSettings.of("coaps://127.0.0.1:5684/sensors/s-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resources must be coap:// URIs, was 'coaps://127.0.0.1:5684/sensors/s-1'")
                .hasMessageContaining("this source takes no DTLS credentials, so it cannot open a coaps:// (DTLS) "
                        + "session");
        assertThatThrownBy(() -> CoapObserveSettings.of(S1, "http://127.0.0.1/sensors/s-2"))
                .hasMessageContaining("resources must be coap:// URIs, was 'http://127.0.0.1/sensors/s-2'");
        assertThatThrownBy(() -> CoapObserveSettings.of("coap+tcp://127.0.0.1/sensors/s-1"))
                .hasMessageContaining("resources must be coap:// URIs, was 'coap+tcp://127.0.0.1/sensors/s-1'");
        assertThatThrownBy(() -> CoapObserveSettings.of("/sensors/s-1"))
                .hasMessageContaining("resources must be coap:// URIs, was '/sensors/s-1'");
    }

    @Test
    void when_resourceMalformed_then_rejectedNamingIt() {
        assertThatThrownBy(() -> CoapObserveSettings.of("coap://127.0.0.1/sensors/s 1"))
                .hasMessageContaining("resources has an invalid URI 'coap://127.0.0.1/sensors/s 1'");
        assertThatThrownBy(() -> CoapObserveSettings.of("coap:///sensors/s-1"))
                .hasMessageContaining("resources must name a host, was 'coap:///sensors/s-1'");
        assertThatThrownBy(() -> CoapObserveSettings.of(S1 + "#latest"))
                .hasMessageContaining("resources must not have a fragment, was '" + S1 + "#latest'");
        assertThatThrownBy(() -> CoapObserveSettings.of(S1).withResources(Arrays.asList(S1, null)))
                .hasMessageContaining("resources must not contain null");
    }

    @Test
    void when_resourceTwice_then_rejected() {
        assertThatThrownBy(() -> CoapObserveSettings.of(S1, S2, S1))
                .hasMessageContaining("resources lists '" + S1 + "' twice");
    }

    @Test
    void when_queueCapacityNotPositive_then_rejected() {
        assertThatThrownBy(() -> CoapObserveSettings.of(S1).withQueueCapacity(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queueCapacity must be positive, was 0");
    }
}
