package io.iotgrid.coap;

import io.iotgrid.core.settings.SettingsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoapSecurityKeysTest {

    private static CoapSecurity read(String... keysAndValues) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            keys.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return CoapSecurityKeys.read(SettingsReader.of(keys));
    }

    @Test
    void when_noKeys_then_none() {
        assertThat(read()).isEqualTo(CoapSecurity.none());
        assertThat(read("coap.security", "none")).isEqualTo(CoapSecurity.none());
    }

    @Test
    void when_pskInlineOrInFile_then_sameCredentials(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("psk"), "s3cret\r\n");
        CoapSecurity expected = CoapSecurity.psk("gw-1", "s3cret".getBytes(StandardCharsets.UTF_8))
                .withCipherSuites(List.of("TLS_PSK_WITH_AES_128_CCM_8")).withBindAddress("127.0.0.1", 5690);

        assertThat(read("coap.security", "PSK", "coap.psk.identity", "gw-1", "coap.psk.secret", "s3cret",
                "coap.cipher.suites", "TLS_PSK_WITH_AES_128_CCM_8", "coap.bind.host", "127.0.0.1",
                "coap.bind.port", "5690")).isEqualTo(expected);
        assertThat(read("coap.security", "psk", "coap.psk.identity", "gw-1", "coap.psk.secret.file", file.toString(),
                "coap.cipher.suites", "TLS_PSK_WITH_AES_128_CCM_8", "coap.bind.host", "127.0.0.1",
                "coap.bind.port", "5690")).isEqualTo(expected);
    }

    @Test
    void when_valueBad_then_messageNamesKeyAndValue(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");

        assertThatThrownBy(() -> read("coap.security", "tls"))
                .hasMessage("coap.security must be none, psk, x509, keystore or rpk, was 'tls'");
        assertThatThrownBy(() -> read("coap.security", "psk", "coap.psk.identity", "gw", "coap.psk.secret", "s",
                "coap.bind.port", "70000"))
                .hasMessage("coap.bind.port must be 0 (ephemeral) to 65535, was '70000'");
        assertThatThrownBy(() -> read("coap.security", "psk", "coap.psk.identity", "gw", "coap.psk.secret", "s",
                "coap.cipher.suites", "TLS_NOPE"))
                .hasMessage("coap.cipher.suites must be cipher suites Scandium can negotiate, e.g. "
                        + "TLS_PSK_WITH_AES_128_CCM_8, was 'TLS_NOPE'");
        assertThatThrownBy(() -> read("coap.security", "psk", "coap.psk.identity", "gw", "coap.psk.secret", "s",
                "coap.cipher.suites", "TLS_PSK_WITH_AES_128_CCM_8,TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"))
                .hasMessage("coap.cipher.suites must be cipher suites for coap.security=psk, was "
                        + "'TLS_PSK_WITH_AES_128_CCM_8,TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8' "
                        + "('TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8' is not)");
        assertThatThrownBy(() -> read("coap.security", "psk", "coap.psk.identity", "gw",
                "coap.psk.secret.file", empty.toString()))
                .hasMessage("coap.psk.secret.file must be a file holding the secret, was '" + empty
                        + "', which is empty");
        assertThatThrownBy(() -> read("coap.security", "rpk", "coap.rpk.keypair", "k.pem", "coap.rpk.trusted", ","))
                .hasMessage("coap.rpk.trusted must be at least one file, was ','");
    }

    @Test
    void when_keyMissingOrMisplaced_then_messageNamesIt() {
        assertThatThrownBy(() -> read("coap.security", "psk", "coap.psk.secret", "s"))
                .hasMessage("coap.psk.identity is required: PSK identity (UTF-8); required for `psk`");
        assertThatThrownBy(() -> read("coap.security", "psk", "coap.psk.identity", "gw"))
                .hasMessage("coap.security=psk needs exactly one of coap.psk.secret and coap.psk.secret.file");
        assertThatThrownBy(() -> read("coap.security", "psk", "coap.psk.identity", "gw", "coap.psk.secret", "s",
                "coap.rpk.keypair", "k.pem"))
                .hasMessage("coap.rpk.keypair does not apply to coap.security=psk");
        assertThatThrownBy(() -> read("coap.psk.identity", "gw"))
                .hasMessage("coap.psk.identity does not apply to coap.security=none");
        assertThatThrownBy(() -> read("coap.bind.port", "5690"))
                .hasMessage("coap.bind.port applies only to DTLS: set coap.security");
    }
}
