package io.iotgrid.coap;

import io.iotgrid.coap.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link CoapSecurity}'s file factories on keys and certificates that {@code openssl} makes for the test. */
class CoapSecurityFilesIT {

    @TempDir
    static Path dir;
    private static TestPki pki;

    @BeforeAll
    static void makeKeys() throws IOException {
        pki = TestPki.create(dir);
    }

    @Test
    void when_x509Pem_then_keyChainAndAnchorsRead() {
        CoapSecurity x509 = CoapSecurity.x509Pem(pki.clientKey(), pki.clientCertificate(), pki.ca());

        assertThat(x509.mode()).isEqualTo(CoapSecurity.Mode.X509);
        assertThat(x509.certificateChain()).hasSize(1);
        assertThat(x509.trustedCertificates()).hasSize(1);
        assertThat(x509.toString()).contains("privateKey=(hidden)").doesNotContain(x509.privateKey());
    }

    @Test
    void when_keyDoesNotMatchCertificate_then_rejected() {
        assertThatThrownBy(() -> CoapSecurity.x509Pem(pki.serverKey(), pki.clientCertificate(), pki.ca()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("privateKeyPem must be the private key of the first certificate of "
                        + "certificateChainPem (CN=iot-grid-client), was '" + pki.serverKey() + "'");
    }

    @Test
    void when_fileMissingOrNotPem_then_rejectedNamingKeyAndFile() throws IOException {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> CoapSecurity.x509Pem(missing, pki.clientCertificate(), pki.ca()))
                .hasMessageContaining("privateKeyPem '" + missing + "' is not a readable file");
        Path text = Files.writeString(dir.resolve("text.pem"), "not a key");
        assertThatThrownBy(() -> CoapSecurity.x509Pem(pki.clientKey(), pki.clientCertificate(), text))
                .hasMessageContaining("trustedCertificatesPem '" + text + "' is not PEM");
        assertThatThrownBy(() -> CoapSecurity.x509Pem(pki.clientKey(), pki.clientKey(), pki.ca()))
                .hasMessageContaining("certificateChainPem '" + pki.clientKey() + "' holds no CERTIFICATE");
    }

    @Test
    void when_keyStoreAndTrustStore_then_sameMaterialAsPem() {
        CoapSecurity stores = CoapSecurity.keyStore(pki.clientKeyStore(), TestPki.PASSWORD.toCharArray(),
                pki.trustStore(), TestPki.PASSWORD.toCharArray());
        CoapSecurity pem = CoapSecurity.x509Pem(pki.clientKey(), pki.clientCertificate(), pki.ca());

        assertThat(stores.certificateChain()).isEqualTo(pem.certificateChain());
        assertThat(stores.trustedCertificates()).isEqualTo(pem.trustedCertificates());
    }

    @Test
    void when_keyStorePasswordWrongOrAliasUnknown_then_rejectedNamingTheStore() {
        assertThatThrownBy(() -> CoapSecurity.keyStore(pki.clientKeyStore(), "wrong".toCharArray(),
                pki.trustStore(), TestPki.PASSWORD.toCharArray()))
                .hasMessageContaining("keyStore '" + pki.clientKeyStore() + "': wrong password or not a key store");
        assertThatThrownBy(() -> CoapSecurity.keyStore(pki.clientKeyStore(), TestPki.PASSWORD.toCharArray(), "nope",
                pki.trustStore(), TestPki.PASSWORD.toCharArray()))
                .hasMessageContaining("keyStore '" + pki.clientKeyStore() + "' has no key entry 'nope'");
        assertThatThrownBy(() -> CoapSecurity.keyStore(pki.clientKeyStore(), TestPki.PASSWORD.toCharArray(),
                pki.clientKeyStore(), TestPki.PASSWORD.toCharArray()))
                .hasMessageContaining("trustStore '" + pki.clientKeyStore() + "' holds no trusted certificate entry");
    }

    @Test
    void when_rawPublicKey_then_ownPairAndTrustedKeysRead() {
        CoapSecurity rpk = CoapSecurity.rawPublicKey(pki.clientRpk(), List.of(pki.serverRpkPublic()));

        assertThat(rpk.mode()).isEqualTo(CoapSecurity.Mode.RAW_PUBLIC_KEY);
        assertThat(rpk.publicKey()).isNotNull();
        assertThat(rpk.trustedPublicKeys()).hasSize(1);
    }

    @Test
    void when_rawPublicKeyTrustsNothing_then_rejected() {
        assertThatThrownBy(() -> CoapSecurity.rawPublicKey(pki.clientRpk(), List.of()))
                .hasMessageContaining("trustedPublicKeys must list at least one server key for RAW_PUBLIC_KEY");
        assertThatThrownBy(() -> CoapSecurity.rawPublicKey(pki.clientRpk(), List.of(pki.ca())))
                .hasMessageContaining("trustedServerKeysPem[0] '" + pki.ca() + "' holds no PUBLIC KEY");
    }
}
