package io.iotgrid.sinks;

import io.iotgrid.coap.CoapSecurity;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.core.testing.JavaSerialization;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.hazelcast.internal.serialization.impl.SerializationUtil.checkSerializable;
import static io.iotgrid.sinks.CoapSinkSettings.BIND_ADDRESS;
import static io.iotgrid.sinks.CoapSinkSettings.CONFIRMABLE;
import static io.iotgrid.sinks.CoapSinkSettings.DEAD_LETTERS_MAP;
import static io.iotgrid.sinks.CoapSinkSettings.ERROR_POLICY;
import static io.iotgrid.sinks.CoapSinkSettings.MAX_IN_FLIGHT;
import static io.iotgrid.sinks.CoapSinkSettings.MAX_RETRIES;
import static io.iotgrid.sinks.CoapSinkSettings.METHOD;
import static io.iotgrid.sinks.CoapSinkSettings.REQUEST_TIMEOUT;
import static io.iotgrid.sinks.CoapSinkSettings.RETRY_INTERVAL;
import static io.iotgrid.sinks.CoapSinkSettings.SECURITY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoapSinkSettingsTest {

    private static final CoapSinkSettings DEFAULTS = CoapSinkSettings.defaults();
    private static final CoapSecurity PSK = CoapSecurity.psk("gw-1", "secret".getBytes(UTF_8));

    @Test
    void when_defaults_then_documentedValues() {
        assertThat(DEFAULTS.method()).isEqualTo(CoapMethod.PUT);
        assertThat(DEFAULTS.confirmable()).isTrue();
        assertThat(DEFAULTS.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(DEFAULTS.maxInFlight()).isEqualTo(8);
        assertThat(DEFAULTS.errorPolicy()).isEqualTo(ErrorPolicy.THROW);
        assertThat(DEFAULTS.maxRetries()).isEqualTo(20);
        assertThat(DEFAULTS.retryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(DEFAULTS.deadLettersMap()).isEqualTo("dead_letters");
        assertThat(DEFAULTS.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(DEFAULTS.security()).isEqualTo(CoapSecurity.none());
    }

    @Test
    void when_builderSetsOne_then_onlyThatOneChanges() {
        assertThat(with().set(METHOD, CoapMethod.POST).build().method()).isEqualTo(CoapMethod.POST);
        assertThat(with().set(CONFIRMABLE, false).build().confirmable()).isFalse();
        assertThat(with().set(REQUEST_TIMEOUT, Duration.ofMillis(1)).build().requestTimeout())
                .isEqualTo(Duration.ofMillis(1));
        assertThat(with().set(MAX_IN_FLIGHT, 1024).build().maxInFlight()).isEqualTo(1024);
        assertThat(with().set(ERROR_POLICY, ErrorPolicy.RETRY).build().errorPolicy()).isEqualTo(ErrorPolicy.RETRY);
        assertThat(with().set(MAX_RETRIES, 0).build().maxRetries()).isZero();
        assertThat(with().set(RETRY_INTERVAL, Duration.ofMillis(1)).build().retryInterval())
                .isEqualTo(Duration.ofMillis(1));
        assertThat(with().set(DEAD_LETTERS_MAP, "coap_failed").build().deadLettersMap()).isEqualTo("coap_failed");
        assertThat(with().set(BIND_ADDRESS, "127.0.0.1").build().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(with().set(SECURITY, PSK).build().security()).isEqualTo(PSK);
        assertThat(with().set(SECURITY, PSK).set(BIND_ADDRESS, "127.0.0.1").build().security()).isEqualTo(PSK);
        assertThat(with().set(MAX_IN_FLIGHT, 1).build().toBuilder().set(MAX_IN_FLIGHT, 8).build()).isEqualTo(DEFAULTS);
    }

    @Test
    void when_settingsCapturedByJobLambdas_then_serializable() {
        CoapSinkSettings settings = with().set(METHOD, CoapMethod.POST).set(ERROR_POLICY, ErrorPolicy.NOOP)
                .set(BIND_ADDRESS, "127.0.0.1")
                .set(SECURITY, PSK.withCipherSuites(List.of("TLS_PSK_WITH_AES_128_CCM_8"))).build();

        checkSerializable(settings, "settings");
        assertThat(JavaSerialization.roundTrip(settings)).isEqualTo(settings);
    }

    @Test
    void when_valueInvalid_then_messageNamesKeyAndValue() {
        CoapSinkSettings.Builder b = with();

        assertThatThrownBy(() -> b.set(METHOD, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("method is required: " + METHOD.doc());
        assertThatThrownBy(() -> b.set(REQUEST_TIMEOUT, Duration.ZERO))
                .hasMessage("request.timeout must be at least 1ms, was '0s'");
        assertThatThrownBy(() -> b.set(REQUEST_TIMEOUT, null))
                .hasMessage("request.timeout is required: " + REQUEST_TIMEOUT.doc());
        assertThatThrownBy(() -> b.set(MAX_IN_FLIGHT, 0))
                .hasMessage("max.in.flight must be between 1 and 1024, was '0'");
        assertThatThrownBy(() -> b.set(MAX_IN_FLIGHT, 1025))
                .hasMessage("max.in.flight must be between 1 and 1024, was '1025'");
        assertThatThrownBy(() -> b.set(ERROR_POLICY, null))
                .hasMessage("error.policy is required: " + ERROR_POLICY.doc());
        assertThatThrownBy(() -> b.set(MAX_RETRIES, -1))
                .hasMessage("max.retries must be at least 0, was '-1'");
        assertThatThrownBy(() -> b.set(RETRY_INTERVAL, Duration.ofNanos(999_999)))
                .hasMessage("retry.interval must be at least 1ms, was 'PT0.000999999S'");
        assertThatThrownBy(() -> b.set(DEAD_LETTERS_MAP, ""))
                .hasMessage("dead.letters.map must be non-blank, was ''");
        assertThatThrownBy(() -> b.set(BIND_ADDRESS, " "))
                .hasMessage("bind.address must be non-blank, was ' '");
        assertThatThrownBy(() -> b.set(BIND_ADDRESS, "no-such-host.invalid"))
                .hasMessage("bind.address must be an IP address or a host name that resolves, was "
                        + "'no-such-host.invalid'");
        assertThatThrownBy(() -> b.set(SECURITY, null))
                .hasMessage("security is required: " + SECURITY.doc());
    }

    @Test
    void when_readFromKeys_then_valuesParsedAndABadOneNamedByItsKey() {
        CoapSinkSettings read = CoapSinkSettings.builder().read(SettingsReader.of(Map.of("method", "post",
                "confirmable", "false", "request.timeout", "2s", "bind.address", "127.0.0.1", "security", "none")))
                .build();

        assertThat(read).isEqualTo(with().set(METHOD, CoapMethod.POST).set(CONFIRMABLE, false)
                .set(REQUEST_TIMEOUT, Duration.ofSeconds(2)).set(BIND_ADDRESS, "127.0.0.1").build());
        assertThatThrownBy(() -> CoapSinkSettings.builder().read(SettingsReader.of(Map.of("method", "get"))))
                .hasMessage("method must be one of put, post, was 'get'");
        assertThatThrownBy(() -> CoapSinkSettings.builder().read(SettingsReader.of(Map.of("security", "psk"))))
                .hasMessage("security must be none, or DTLS credentials set in Java as a CoapSecurity, was 'psk'");
    }

    @Test
    void when_securityHasItsOwnBindHost_then_buildRejectsNamingBothKeys() {
        CoapSinkSettings.Builder b = with().set(BIND_ADDRESS, "127.0.0.1")
                                           .set(SECURITY, PSK.withBindAddress("10.0.0.3", 0));

        assertThatThrownBy(b::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("security must not have a bind host of its own on a sink, was '10.0.0.3': the sink's "
                        + "coap:// and coaps:// endpoints both bind to bind.address ('127.0.0.1'), set that instead");
    }

    @Test
    void when_securityHasOnlyABindPort_then_accepted() {
        CoapSecurity fixedPort = PSK.withBindAddress(null, 15_684);

        assertThat(with().set(SECURITY, fixedPort).build().security().bindPort()).isEqualTo(15_684);
    }

    private static CoapSinkSettings.Builder with() {
        return DEFAULTS.toBuilder();
    }
}
