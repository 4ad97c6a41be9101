package io.iotgrid.sinks;

import io.iotgrid.coap.CoapSecurity;
import io.iotgrid.core.testing.JavaSerialization;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.hazelcast.internal.serialization.impl.SerializationUtil.checkSerializable;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoapSinkSettingsTest {

    private static final CoapSinkSettings DEFAULTS = CoapSinkSettings.defaults();
    private static final CoapSecurity PSK = CoapSecurity.psk("gw-1", "secret".getBytes(UTF_8));

    @Test
    void when_defaults_then_componentsHaveTheDocumentedValues() {
        assertThat(DEFAULTS).isEqualTo(new CoapSinkSettings(CoapMethod.PUT, true, Duration.ofSeconds(10), 8,
                ErrorPolicy.THROW, 20, Duration.ofSeconds(1), "dead_letters", "0.0.0.0", CoapSecurity.none()));
    }

    @Test
    void when_withMethods_then_copiesChangeOneComponent() {
        assertThat(DEFAULTS.withMethod(CoapMethod.POST).method()).isEqualTo(CoapMethod.POST);
        assertThat(DEFAULTS.withConfirmable(false).confirmable()).isFalse();
        assertThat(DEFAULTS.withRequestTimeout(Duration.ofMillis(1)).requestTimeout()).isEqualTo(Duration.ofMillis(1));
        assertThat(DEFAULTS.withMaxInFlight(1024).maxInFlight()).isEqualTo(1024);
        assertThat(DEFAULTS.withErrorPolicy(ErrorPolicy.RETRY).errorPolicy()).isEqualTo(ErrorPolicy.RETRY);
        assertThat(DEFAULTS.withMaxRetries(0).maxRetries()).isZero();
        assertThat(DEFAULTS.withRetryInterval(Duration.ofMillis(1)).retryInterval()).isEqualTo(Duration.ofMillis(1));
        assertThat(DEFAULTS.withDeadLettersMap("coap_failed").deadLettersMap()).isEqualTo("coap_failed");
        assertThat(DEFAULTS.withBindAddress("127.0.0.1").bindAddress()).isEqualTo("127.0.0.1");
        assertThat(DEFAULTS.withSecurity(PSK).security()).isEqualTo(PSK);
        assertThat(DEFAULTS.withSecurity(PSK).withBindAddress("127.0.0.1").security()).isEqualTo(PSK);
        assertThat(DEFAULTS.withMaxInFlight(1).withMaxInFlight(8)).isEqualTo(DEFAULTS);
    }

    @Test
    void when_settingsCapturedByJobLambdas_then_serializable() {
        CoapSinkSettings settings = DEFAULTS.withMethod(CoapMethod.POST).withErrorPolicy(ErrorPolicy.NOOP)
                                            .withBindAddress("127.0.0.1")
                                            .withSecurity(PSK.withCipherSuites(List.of("TLS_PSK_WITH_AES_128_CCM_8")));

        checkSerializable(settings, "settings");
        assertThat(JavaSerialization.roundTrip(settings)).isEqualTo(settings);
    }

    @Test
    void when_valueInvalid_then_messageNamesKeyAndValue() {
        assertThatThrownBy(() -> DEFAULTS.withMethod(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("method must be PUT or POST, was null");
        assertThatThrownBy(() -> DEFAULTS.withRequestTimeout(Duration.ZERO))
                .hasMessage("requestTimeout must be at least 1 ms, was PT0S");
        assertThatThrownBy(() -> DEFAULTS.withRequestTimeout(null))
                .hasMessage("requestTimeout must be at least 1 ms, was null");
        assertThatThrownBy(() -> DEFAULTS.withMaxInFlight(0))
                .hasMessage("maxInFlight must be between 1 and 1024, was 0");
        assertThatThrownBy(() -> DEFAULTS.withMaxInFlight(1025))
                .hasMessage("maxInFlight must be between 1 and 1024, was 1025");
        assertThatThrownBy(() -> DEFAULTS.withErrorPolicy(null))
                .hasMessage("errorPolicy must not be null");
        assertThatThrownBy(() -> DEFAULTS.withMaxRetries(-1))
                .hasMessage("maxRetries must be at least 0, was -1");
        assertThatThrownBy(() -> DEFAULTS.withRetryInterval(Duration.ofNanos(999_999)))
                .hasMessage("retryInterval must be at least 1 ms, was PT0.000999999S");
        assertThatThrownBy(() -> DEFAULTS.withDeadLettersMap(""))
                .hasMessage("deadLettersMap must be a structure name, was ''");
        assertThatThrownBy(() -> DEFAULTS.withBindAddress(" "))
                .hasMessage("bindAddress must be an IP address or host name, was ' '");
        assertThatThrownBy(() -> DEFAULTS.withBindAddress("no-such-host.invalid"))
                .hasMessage("bindAddress must be an IP address or host name, was 'no-such-host.invalid': "
                        + "unknown host");
        assertThatThrownBy(() -> DEFAULTS.withSecurity(null))
                .hasMessage("security must not be null: CoapSecurity.none() when no item is coaps://");
    }

    @Test
    void when_securityHasItsOwnBindHost_then_rejectedInFavourOfBindAddress() {
        assertThatThrownBy(() -> DEFAULTS.withBindAddress("127.0.0.1")
                                         .withSecurity(PSK.withBindAddress("10.0.0.3", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("security.bindHost must not be set on a sink, was '10.0.0.3': the sink's coap:// and "
                        + "coaps:// endpoints both bind to bindAddress ('127.0.0.1'), set that with "
                        + "withBindAddress(...) instead");
    }

    @Test
    void when_securityHasOnlyABindPort_then_accepted() {
        CoapSecurity fixedPort = PSK.withBindAddress(null, 15_684);

        assertThat(DEFAULTS.withSecurity(fixedPort).security().bindPort()).isEqualTo(15_684);
    }
}
