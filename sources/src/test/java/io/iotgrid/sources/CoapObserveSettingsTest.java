package io.iotgrid.sources;

import io.iotgrid.coap.CoapSecurity;
import org.junit.jupiter.api.Test;

import java.time.Duration;

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

        assertThat(settings.withQueueCapacity(5).queueCapacity()).isEqualTo(5);
        assertThat(settings.withQueueCapacity(5).withQueueCapacity(10_000)).isEqualTo(settings);
        assertThat(settings.withConfirmable(false).confirmable()).isFalse();
        assertThat(settings.withConfirmable(false).withConfirmable(true)).isEqualTo(settings);
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
        checkSerializable(CoapObserveSettings.of(S1, S2).withQueueCapacity(7).withConfirmable(false)
                .withSecurity(CoapSecurity.psk("gw", new byte[]{1}))
                .withDiscoveries(List.of(CoapDiscovery.of("coap://127.0.0.1:5683", "/sensors/*"))), "settings");
    }

    @Test
    void when_noResources_then_rejected() {
        assertThatThrownBy(CoapObserveSettings::of)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resources must list at least one coap:// or coaps:// URI (or discoveries a "
                        + "server), was []");
        assertThatThrownBy(() -> CoapObserveSettings.of(S1).withResources(null))
                .hasMessageContaining("resources must list at least one coap:// or coaps:// URI (or discoveries a "
                        + "server), was null");
    }

    @Test
    void when_resourceNotCoap_then_rejectedNamingIt() {
        assertThatThrownBy(() -> CoapObserveSettings.of(S1, "http://127.0.0.1/sensors/s-2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resources must be coap:// or coaps:// URIs, was 'http://127.0.0.1/sensors/s-2'");
        assertThatThrownBy(() -> CoapObserveSettings.of("coap+tcp://127.0.0.1/sensors/s-1"))
                .hasMessageContaining("resources must be coap:// or coaps:// URIs, was 'coap+tcp://127.0.0.1/sensors/s-1'");
        assertThatThrownBy(() -> CoapObserveSettings.of("/sensors/s-1"))
                .hasMessageContaining("resources must be coap:// or coaps:// URIs, was '/sensors/s-1'");
    }

    @Test
    void when_coapsWithoutCredentials_then_rejectedSayingWhatToSet() {
        assertThatThrownBy(() -> CoapObserveSettings.of("coaps://127.0.0.1:5684/sensors/s-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resources has coaps:// URI 'coaps://127.0.0.1:5684/sensors/s-1' but security "
                        + "is NONE: set DTLS credentials with withSecurity(");
        assertThatThrownBy(() -> CoapObserveSettings.discover(CoapDiscovery.of("coaps://127.0.0.1:5684")))
                .hasMessageContaining("discoveries has coaps:// server 'coaps://127.0.0.1:5684' but security is NONE");
    }

    @Test
    void when_coapsWithCredentials_then_accepted() {
        CoapObserveSettings settings = CoapObserveSettings.of(S1)
                .withSecurity(CoapSecurity.psk("gw", new byte[]{1, 2, 3}));

        assertThat(settings.withResources(List.of("coaps://127.0.0.1:5684/sensors/s-1")).resources())
                .containsExactly("coaps://127.0.0.1:5684/sensors/s-1");
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
    void when_defaults_then_documentedValues() {
        CoapObserveSettings settings = CoapObserveSettings.of(S1);

        assertThat(settings.security()).isEqualTo(CoapSecurity.none());
        assertThat(settings.discoveries()).isEmpty();
        assertThat(settings.reobserveInitialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.reobserveMaxBackoff()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.maxAgeMargin()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.registrationTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.ackTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.maxRetransmit()).isEqualTo(4);
        assertThat(settings.distributed()).isFalse();
        assertThat(settings.localParallelism()).isEqualTo(1);
    }

    @Test
    void when_timingsInvalid_then_rejectedNamingTheKey() {
        CoapObserveSettings settings = CoapObserveSettings.of(S1);

        assertThatThrownBy(() -> settings.withReobserveBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("reobserveInitialBackoff must be positive, was PT0S");
        assertThatThrownBy(() -> settings.withReobserveBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("reobserveMaxBackoff must be at least reobserveInitialBackoff (PT2S), was PT1S");
        assertThatThrownBy(() -> settings.withMaxAgeMargin(Duration.ofSeconds(-1)))
                .hasMessageContaining("maxAgeMargin must be positive, was PT-1S");
        assertThatThrownBy(() -> settings.withRegistrationTimeout(null))
                .hasMessageContaining("registrationTimeout must be positive, was null");
        assertThatThrownBy(() -> settings.withRetransmission(Duration.ofMillis(100), 21))
                .hasMessageContaining("maxRetransmit must be 0 to 20, was 21");
    }

    @Test
    void when_parallelism_then_onlyWhenDistributed() {
        CoapObserveSettings settings = CoapObserveSettings.of(S1);

        assertThat(settings.withLocalParallelism(3).distributed()).isTrue();
        assertThat(settings.withLocalParallelism(3).withDistributed(false).localParallelism()).isEqualTo(1);
        assertThatThrownBy(() -> settings.withLocalParallelism(0))
                .hasMessageContaining("localParallelism must be at least 1, was 0");
    }

    @Test
    void when_queueCapacityNotPositive_then_rejected() {
        assertThatThrownBy(() -> CoapObserveSettings.of(S1).withQueueCapacity(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queueCapacity must be positive, was 0");
    }
}
