package io.iotgrid.coap;

import io.iotgrid.core.testing.JavaSerialization;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoapSecurityTest {

    private static final byte[] SECRET = "secret".getBytes(StandardCharsets.UTF_8);

    @Test
    void when_none_then_notSecureAndNoMaterial() {
        CoapSecurity none = CoapSecurity.none();

        assertThat(none.secure()).isFalse();
        assertThat(none.mode()).isEqualTo(CoapSecurity.Mode.NONE);
        assertThat(none.cipherSuites()).isEmpty();
        assertThat(none.bindHost()).isNull();
        assertThat(none.bindPort()).isZero();
    }

    @Test
    void when_psk_then_secretKeptAndHiddenFromToString() {
        CoapSecurity psk = CoapSecurity.psk("gw-1", SECRET);

        assertThat(psk.secure()).isTrue();
        assertThat(psk.pskIdentity()).isEqualTo("gw-1");
        assertThat(psk.pskSecretBytes()).isEqualTo(SECRET);
        assertThat(psk.toString()).contains("gw-1").contains("pskSecret=(hidden)").doesNotContain(psk.pskSecret());
    }

    @Test
    void when_serializedForAJob_then_equalCopy() {
        CoapSecurity psk = CoapSecurity.psk("gw-1", SECRET)
                .withCipherSuites(List.of("TLS_PSK_WITH_AES_128_CCM_8")).withBindAddress("127.0.0.1", 0);

        assertThat(JavaSerialization.roundTrip(psk)).isEqualTo(psk);
    }

    @Test
    void when_pskIncomplete_then_rejectedNamingTheKey() {
        assertThatThrownBy(() -> CoapSecurity.psk("", SECRET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pskIdentity must not be empty for PSK, was ''");
        assertThatThrownBy(() -> CoapSecurity.psk("gw", new byte[0]))
                .hasMessageContaining("pskSecret must not be empty for PSK");
    }

    @Test
    void when_cipherSuiteUnknownOrForOtherCredentials_then_rejectedNamingIt() {
        CoapSecurity psk = CoapSecurity.psk("gw", SECRET);

        assertThatThrownBy(() -> psk.withCipherSuites(List.of("TLS_FANCY")))
                .hasMessageContaining("cipherSuites has 'TLS_FANCY', which is not a cipher suite Scandium can "
                        + "negotiate");
        assertThatThrownBy(() -> psk.withCipherSuites(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8")))
                .hasMessageContaining("cipherSuites has 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', which cannot be used "
                        + "with PSK credentials");
        assertThatThrownBy(() -> CoapSecurity.none().withCipherSuites(List.of("TLS_PSK_WITH_AES_128_CCM_8")))
                .hasMessageContaining("cannot be used with NONE credentials");
    }

    @Test
    void when_bindAddressInvalid_then_rejected() {
        CoapSecurity psk = CoapSecurity.psk("gw", SECRET);

        assertThatThrownBy(() -> psk.withBindAddress("127.0.0.1", 70_000))
                .hasMessageContaining("bindPort must be 0 (ephemeral) to 65535, was 70000");
        assertThatThrownBy(() -> psk.withBindAddress(" ", 0))
                .hasMessageContaining("bindHost must be null (automatic) or an address, was ' '");
    }

    @Test
    void when_materialOfAnotherMode_then_rejected() {
        assertThatThrownBy(() -> new CoapSecurity(CoapSecurity.Mode.NONE, "gw", null, null, null, null, null, null,
                null, null, 0))
                .hasMessageContaining("pskIdentity does not apply to NONE credentials");
        assertThatThrownBy(() -> new CoapSecurity(CoapSecurity.Mode.RAW_PUBLIC_KEY, null, null, null, null, null,
                null, null, null, null, 0))
                .hasMessageContaining("privateKey is required");
    }
}
