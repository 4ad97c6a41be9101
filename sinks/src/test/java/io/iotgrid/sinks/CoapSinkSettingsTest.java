package io.iotgrid.sinks;

import io.iotgrid.core.testing.JavaSerialization;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.hazelcast.internal.serialization.impl.SerializationUtil.checkSerializable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoapSinkSettingsTest {

    private static final CoapSinkSettings DEFAULTS = CoapSinkSettings.defaults();

    @Test
    void when_defaults_then_componentsHaveTheDocumentedValues() {
        assertThat(DEFAULTS).isEqualTo(new CoapSinkSettings(CoapMethod.PUT, true, Duration.ofSeconds(10), 8,
                ErrorPolicy.THROW, 20, Duration.ofSeconds(1), "dead_letters", "0.0.0.0"));
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
        assertThat(DEFAULTS.withMaxInFlight(1).withMaxInFlight(8)).isEqualTo(DEFAULTS);
    }

    @Test
    void when_settingsCapturedByJobLambdas_then_serializable() {
        CoapSinkSettings settings = DEFAULTS.withMethod(CoapMethod.POST).withErrorPolicy(ErrorPolicy.NOOP)
                                            .withBindAddress("127.0.0.1");

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
    }
}
