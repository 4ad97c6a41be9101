package io.iotgrid.sources;

import io.iotgrid.coap.CoapSecurity;
import io.iotgrid.core.settings.SettingsReader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static com.hazelcast.internal.serialization.impl.SerializationUtil.checkSerializable;
import static io.iotgrid.sources.CoapObserveSettings.ACK_TIMEOUT;
import static io.iotgrid.sources.CoapObserveSettings.CONFIRMABLE;
import static io.iotgrid.sources.CoapObserveSettings.DISCOVERIES;
import static io.iotgrid.sources.CoapObserveSettings.DISTRIBUTED;
import static io.iotgrid.sources.CoapObserveSettings.LOCAL_PARALLELISM;
import static io.iotgrid.sources.CoapObserveSettings.MAX_AGE_MARGIN;
import static io.iotgrid.sources.CoapObserveSettings.MAX_RETRANSMIT;
import static io.iotgrid.sources.CoapObserveSettings.QUEUE_CAPACITY;
import static io.iotgrid.sources.CoapObserveSettings.REGISTRATION_TIMEOUT;
import static io.iotgrid.sources.CoapObserveSettings.REOBSERVE_INITIAL_BACKOFF;
import static io.iotgrid.sources.CoapObserveSettings.REOBSERVE_MAX_BACKOFF;
import static io.iotgrid.sources.CoapObserveSettings.SECURITY;
import static io.iotgrid.sources.CoapObserveSettings.URIS;
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
    void when_toBuilderSets_then_copiesChangeOneSetting() {
        CoapObserveSettings settings = CoapObserveSettings.of(S1);

        assertThat(settings.toBuilder().set(QUEUE_CAPACITY, 5).build().queueCapacity()).isEqualTo(5);
        assertThat(settings.toBuilder().set(QUEUE_CAPACITY, 5).set(QUEUE_CAPACITY, 10_000).build())
                .isEqualTo(settings);
        assertThat(settings.toBuilder().set(CONFIRMABLE, false).build().confirmable()).isFalse();
        assertThat(settings.toBuilder().set(CONFIRMABLE, false).set(CONFIRMABLE, true).build()).isEqualTo(settings);
        assertThat(settings.toBuilder().set(URIS, List.of(S2)).build()).isEqualTo(CoapObserveSettings.of(S2));
        assertThat(settings).isEqualTo(CoapObserveSettings.of(S1));
    }

    @Test
    void when_resourcesListChangesLater_then_settingsKeepTheirCopy() {
        List<String> resources = new ArrayList<>(List.of(S1));
        CoapObserveSettings settings = CoapObserveSettings.builder().set(URIS, resources).build();
        resources.add(S2);

        assertThat(settings.resources()).containsExactly(S1);
    }

    @Test
    void when_settingsCapturedByJobLambdas_then_serializable() {
        checkSerializable(CoapObserveSettings.of(S1, S2).toBuilder().set(QUEUE_CAPACITY, 7).set(CONFIRMABLE, false)
                .set(SECURITY, CoapSecurity.psk("gw", new byte[]{1}))
                .set(DISCOVERIES, List.of(CoapDiscovery.of("coap://127.0.0.1:5683", "/sensors/*"))).build(),
                "settings");
    }

    @Test
    void when_noResources_then_rejectedNamingBothKeys() {
        assertThatThrownBy(CoapObserveSettings::of)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("coap.uris or coap.discover is required: the coap:// or coaps:// resources to observe, or "
                        + "servers that list them, comma-separated");
        assertThatThrownBy(() -> CoapObserveSettings.builder().set(URIS, null))
                .hasMessageStartingWith("coap.uris is required: ");
    }

    @Test
    void when_resourceNotCoap_then_rejectedNamingIt() {
        assertThatThrownBy(() -> CoapObserveSettings.of(S1, "http://127.0.0.1/sensors/s-2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("coap.uris must be coap:// or coaps:// URIs, was '" + S1
                        + ",http://127.0.0.1/sensors/s-2'");
        assertThatThrownBy(() -> CoapObserveSettings.of("coap+tcp://127.0.0.1/sensors/s-1"))
                .hasMessage("coap.uris must be coap:// or coaps:// URIs, was 'coap+tcp://127.0.0.1/sensors/s-1'");
        assertThatThrownBy(() -> CoapObserveSettings.of("/sensors/s-1"))
                .hasMessage("coap.uris must be coap:// or coaps:// URIs, was '/sensors/s-1'");
    }

    @Test
    void when_coapsWithoutCredentials_then_rejectedSayingWhatToSet() {
        assertThatThrownBy(() -> CoapObserveSettings.of("coaps://127.0.0.1:5684/sensors/s-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("coap.uris has coaps:// URI 'coaps://127.0.0.1:5684/sensors/s-1' but coap.security is "
                        + "none: set it to psk, x509, keystore or rpk");
        assertThatThrownBy(() -> CoapObserveSettings.discover(CoapDiscovery.of("coaps://127.0.0.1:5684")))
                .hasMessage("coap.discover has coaps:// URI 'coaps://127.0.0.1:5684' but coap.security is none: set "
                        + "it to psk, x509, keystore or rpk");
    }

    @Test
    void when_coapsWithCredentials_then_accepted() {
        CoapObserveSettings settings = CoapObserveSettings.of(CoapSecurity.psk("gw", new byte[]{1, 2, 3}), S1);

        assertThat(settings.toBuilder().set(URIS, List.of("coaps://127.0.0.1:5684/sensors/s-1")).build().resources())
                .containsExactly("coaps://127.0.0.1:5684/sensors/s-1");
    }

    @Test
    void when_resourceMalformed_then_rejectedNamingIt() {
        assertThatThrownBy(() -> CoapObserveSettings.of("coap://127.0.0.1/sensors/s 1"))
                .hasMessage("coap.uris must be valid URIs, was 'coap://127.0.0.1/sensors/s 1'");
        assertThatThrownBy(() -> CoapObserveSettings.of("coap:///sensors/s-1"))
                .hasMessage("coap.uris must be URIs that name a host, was 'coap:///sensors/s-1'");
        assertThatThrownBy(() -> CoapObserveSettings.of(S1 + "#latest"))
                .hasMessage("coap.uris must be URIs without a fragment, was '" + S1 + "#latest'");
        assertThatThrownBy(() -> CoapObserveSettings.builder().set(URIS, Arrays.asList(S1, null)))
                .hasMessage("coap.uris must be valid URIs, was '" + S1 + ",null'");
    }

    @Test
    void when_resourceTwice_then_rejected() {
        assertThatThrownBy(() -> CoapObserveSettings.of(S1, S2, S1))
                .hasMessage("coap.uris must be URIs listed once each, was '" + S1 + "," + S2 + "," + S1 + "'");
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
        CoapObserveSettings.Builder b = CoapObserveSettings.of(S1).toBuilder();

        assertThatThrownBy(() -> b.set(REOBSERVE_INITIAL_BACKOFF, Duration.ZERO))
                .hasMessage("coap.reobserve.initial.backoff must be positive, was '0s'");
        assertThatThrownBy(() -> CoapObserveSettings.of(S1).toBuilder().set(REOBSERVE_INITIAL_BACKOFF,
                Duration.ofSeconds(2)).set(REOBSERVE_MAX_BACKOFF, Duration.ofSeconds(1)).build())
                .hasMessage("coap.reobserve.max.backoff must be at least coap.reobserve.initial.backoff (2s), "
                        + "was '1s'");
        assertThatThrownBy(() -> b.set(MAX_AGE_MARGIN, Duration.ofSeconds(-1)))
                .hasMessage("coap.max.age.margin must be positive, was '-1s'");
        assertThatThrownBy(() -> b.set(REGISTRATION_TIMEOUT, null))
                .hasMessageStartingWith("coap.registration.timeout is required: ");
        assertThatThrownBy(() -> b.set(ACK_TIMEOUT, Duration.ZERO))
                .hasMessage("coap.ack.timeout must be positive, was '0s'");
        assertThatThrownBy(() -> b.set(MAX_RETRANSMIT, 21))
                .hasMessage("coap.max.retransmit must be 0 to 20, was '21'");
    }

    @Test
    void when_parallelism_then_onlyWhenDistributed() {
        CoapObserveSettings settings = CoapObserveSettings.of(S1);

        assertThat(settings.toBuilder().set(DISTRIBUTED, true).set(LOCAL_PARALLELISM, 3).build().localParallelism())
                .isEqualTo(3);
        assertThatThrownBy(() -> settings.toBuilder().set(LOCAL_PARALLELISM, 3).build())
                .hasMessage("coap.local.parallelism must be 1 unless coap.distributed=true, was '3'");
        assertThatThrownBy(() -> settings.toBuilder().set(LOCAL_PARALLELISM, 0))
                .hasMessage("coap.local.parallelism must be at least 1, was '0'");
    }

    @Test
    void when_queueCapacityNotPositive_then_rejected() {
        assertThatThrownBy(() -> CoapObserveSettings.of(S1).toBuilder().set(QUEUE_CAPACITY, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("coap.queue.capacity must be positive, was '0'");
    }

    @Test
    void when_readFromKeys_then_eachKeyItsSetting() {
        CoapObserveSettings settings = CoapObserveSettings.builder().read(SettingsReader.of(Map.of(
                "coap.uris", S1 + "," + S2, "coap.discover", "coap://127.0.0.1:5700", "coap.queue.capacity", "50",
                "coap.confirmable", "false", "coap.reobserve.initial.backoff", "200ms",
                "coap.reobserve.max.backoff", "20s", "coap.distributed", "true", "coap.local.parallelism", "2")))
                .build();

        assertThat(settings).isEqualTo(CoapObserveSettings.of(S1, S2).toBuilder()
                .set(DISCOVERIES, List.of(CoapDiscovery.of("coap://127.0.0.1:5700"))).set(QUEUE_CAPACITY, 50)
                .set(CONFIRMABLE, false).set(REOBSERVE_INITIAL_BACKOFF, Duration.ofMillis(200))
                .set(REOBSERVE_MAX_BACKOFF, Duration.ofSeconds(20)).set(DISTRIBUTED, true).set(LOCAL_PARALLELISM, 2)
                .build());
    }

    @Test
    void when_keyValueBad_then_messageNamesKeyAndText() {
        assertThatThrownBy(() -> CoapObserveSettings.builder().read(SettingsReader.of(Map.of(
                "coap.uris", S1, "coap.queue.capacity", "many"))))
                .hasMessage("coap.queue.capacity must be a whole number, was 'many'");
        assertThatThrownBy(() -> CoapObserveSettings.builder().read(SettingsReader.of(Map.of(
                "coap.uris", S1, "coap.max.age.margin", "later"))))
                .hasMessageStartingWith("coap.max.age.margin must be a duration").hasMessageEndingWith("was 'later'");
    }

    @Test
    void when_silenceAndPayloadLimit_then_defaultsReadAndChecked() {
        CoapObserveSettings defaults = CoapObserveSettings.of(S1);
        assertThat(defaults.maxSilence()).isEqualTo(Duration.ofSeconds(15));
        assertThat(defaults.maxPayloadBytes()).isEqualTo(65_536);

        CoapObserveSettings read = CoapObserveSettings.builder().read(SettingsReader.of(Map.of(
                "coap.uris", S1, "coap.max.silence", "3s", "payload.max.bytes", "2048"))).build();
        assertThat(read.maxSilence()).isEqualTo(Duration.ofSeconds(3));
        assertThat(read.maxPayloadBytes()).isEqualTo(2048);
        assertThatThrownBy(() -> defaults.toBuilder().set(CoapObserveSettings.MAX_SILENCE, Duration.ZERO))
                .hasMessage("coap.max.silence must be positive, was '0s'");
        assertThatThrownBy(() -> defaults.toBuilder().set(CoapObserveSettings.MAX_PAYLOAD_BYTES, 0))
                .hasMessage("payload.max.bytes must be between 1 and 67108864 (64 MiB), was '0'");
    }
}
