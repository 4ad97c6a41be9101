package io.iotgrid.coap;

import io.iotgrid.coap.impl.KeyMaterial;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;

import java.io.Serializable;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * DTLS credentials for {@code coaps://} resources (Eclipse Scandium, DTLS 1.2), immutable and serializable so a
 * job can carry them: key files are read <b>when the settings are built</b>, on the machine that builds the job,
 * and travel with the job to the members, which need no key files of their own.
 * <pre>{@code
 * CoapSecurity.psk("sensor-gw", "secret".getBytes(UTF_8));
 * CoapSecurity.x509Pem(Path.of("client.key"), Path.of("client-chain.pem"), Path.of("ca.pem"));
 * CoapSecurity.keyStore(Path.of("client.p12"), "changeit".toCharArray(), Path.of("trust.p12"), "changeit".toCharArray());
 * CoapSecurity.rawPublicKey(Path.of("own-keys.pem"), List.of(Path.of("server-pub.pem")))
 *             .withCipherSuites(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8")).withBindAddress("10.0.0.3", 0);
 * }</pre>
 * Plain {@code coap://} needs no credentials: {@link #none()} is the default. The client always verifies the
 * server: X.509 chains against the given trust anchors (and, Scandium's default, the certificate's subject against
 * the host of the URI), raw public keys against the explicit list of trusted keys. There is no trust-all option.
 * <p>
 * Key and certificate material is kept as base64 DER; {@link #toString()} hides the secret and the private key.
 *
 * @param mode                which credentials: {@link Mode#NONE} (default), {@link Mode#PSK}, {@link Mode#X509} or
 *                            {@link Mode#RAW_PUBLIC_KEY}
 * @param pskIdentity         PSK identity (UTF-8), {@link Mode#PSK} only
 * @param pskSecret           PSK secret, base64, {@link Mode#PSK} only
 * @param privateKey          own private key, base64 PKCS#8, {@link Mode#X509} and {@link Mode#RAW_PUBLIC_KEY}
 * @param publicKey           own public key, base64 SubjectPublicKeyInfo, {@link Mode#RAW_PUBLIC_KEY} only
 * @param certificateChain    own certificate chain, leaf first, base64 DER, {@link Mode#X509} only
 * @param trustedCertificates trust anchors for the server's chain, base64 DER, {@link Mode#X509} only (at least one)
 * @param trustedPublicKeys   server public keys to accept, base64 SubjectPublicKeyInfo, {@link Mode#RAW_PUBLIC_KEY}
 *                            only (at least one)
 * @param cipherSuites        Scandium {@link CipherSuite} names to offer, in order of preference; empty (default) lets
 *                            Scandium choose its recommended suites for the credentials
 * @param bindHost            local address of the DTLS socket; {@code null} (default) binds 127.0.0.1 when every
 *                            peer is on loopback, else the wildcard address. The CoAP sink requires {@code null}:
 *                            its own {@code bindAddress} is the address of all its endpoints
 * @param bindPort            local UDP port of the DTLS socket; 0 (default) takes an ephemeral port
 */
public record CoapSecurity(
        Mode mode,
        String pskIdentity,
        String pskSecret,
        String privateKey,
        String publicKey,
        List<String> certificateChain,
        List<String> trustedCertificates,
        List<String> trustedPublicKeys,
        List<String> cipherSuites,
        String bindHost,
        int bindPort
) implements Serializable {

    /** Which credentials a {@link CoapSecurity} carries. */
    public enum Mode {
        /**
         * No DTLS: the source's settings reject {@code coaps://} resources when built; the CoAP sink cannot send a
         * {@code coaps://} item (a dead letter, or a job failure under THROW).
         */
        NONE,
        /** Pre-shared key: identity and secret. */
        PSK,
        /** X.509: own private key and certificate chain, trust anchors for the server's chain. */
        X509,
        /** Raw public keys (RFC 7250): own key pair, an explicit list of trusted server keys. */
        RAW_PUBLIC_KEY
    }

    private static final CoapSecurity NONE = new CoapSecurity(Mode.NONE, null, null, null, null, List.of(), List.of(),
            List.of(), List.of(), null, 0);

    public CoapSecurity {
        Objects.requireNonNull(mode, "mode");
        certificateChain = copy("certificateChain", certificateChain);
        trustedCertificates = copy("trustedCertificates", trustedCertificates);
        trustedPublicKeys = copy("trustedPublicKeys", trustedPublicKeys);
        cipherSuites = copy("cipherSuites", cipherSuites);
        switch (mode) {
            case NONE -> requireAbsent(mode, pskIdentity, pskSecret, privateKey, publicKey, certificateChain,
                    trustedCertificates, trustedPublicKeys);
            case PSK -> {
                if (pskIdentity == null || pskIdentity.isEmpty()) {
                    throw new IllegalArgumentException("pskIdentity must not be empty for PSK, was '" + pskIdentity
                            + "'");
                }
                if (pskSecret == null || KeyMaterial.base64("pskSecret", pskSecret).length == 0) {
                    throw new IllegalArgumentException("pskSecret must not be empty for PSK");
                }
                requireAbsent(mode, null, null, privateKey, publicKey, certificateChain, trustedCertificates,
                        trustedPublicKeys);
            }
            case X509 -> {
                PrivateKey key = KeyMaterial.privateKey("privateKey", privateKey);
                X509Certificate[] chain = KeyMaterial.certificates("certificateChain", certificateChain);
                if (chain.length == 0) {
                    throw new IllegalArgumentException("certificateChain must hold at least one certificate for X509");
                }
                KeyMaterial.requireMatch(key, chain[0].getPublicKey(), "privateKey does not belong to the first "
                        + "certificate of certificateChain (" + chain[0].getSubjectX500Principal() + ")");
                if (KeyMaterial.certificates("trustedCertificates", trustedCertificates).length == 0) {
                    throw new IllegalArgumentException("trustedCertificates must hold at least one certificate for "
                            + "X509: the server's chain is always verified");
                }
                requireAbsent(mode, pskIdentity, pskSecret, null, publicKey, List.of(), List.of(),
                        trustedPublicKeys);
            }
            case RAW_PUBLIC_KEY -> {
                PrivateKey key = KeyMaterial.privateKey("privateKey", privateKey);
                PublicKey own = KeyMaterial.publicKey("publicKey", publicKey);
                KeyMaterial.requireMatch(key, own, "privateKey and publicKey are not one key pair");
                if (trustedPublicKeys.isEmpty()) {
                    throw new IllegalArgumentException("trustedPublicKeys must list at least one server key for "
                            + "RAW_PUBLIC_KEY: raw public keys are never trusted blindly");
                }
                for (int i = 0; i < trustedPublicKeys.size(); i++) {
                    KeyMaterial.publicKey("trustedPublicKeys[" + i + "]", trustedPublicKeys.get(i));
                }
                requireAbsent(mode, pskIdentity, pskSecret, null, null, certificateChain, trustedCertificates,
                        List.of());
            }
        }
        for (String suite : cipherSuites) {
            if (!negotiable(suite)) {
                throw new IllegalArgumentException("cipherSuites has '" + suite + "', which is not a cipher suite "
                        + "Scandium can negotiate; e.g. TLS_PSK_WITH_AES_128_CCM_8, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8");
            }
            if (!suits(suite, mode)) {
                throw new IllegalArgumentException("cipherSuites has '" + suite + "', which cannot be used with "
                        + mode + " credentials");
            }
        }
        if (bindHost != null && bindHost.isBlank()) {
            throw new IllegalArgumentException("bindHost must be null (automatic) or an address, was '" + bindHost
                    + "'");
        }
        if (bindPort < 0 || bindPort > 65_535) {
            throw new IllegalArgumentException("bindPort must be 0 (ephemeral) to 65535, was " + bindPort);
        }
    }

    /** No DTLS; the default. Only {@code coap://} resources can be reached. */
    public static CoapSecurity none() {
        return NONE;
    }

    /** Pre-shared key: {@code identity} (sent in clear during the handshake) and {@code secret}. */
    public static CoapSecurity psk(String identity, byte[] secret) {
        Objects.requireNonNull(secret, "pskSecret");
        return new CoapSecurity(Mode.PSK, identity, Base64.getEncoder().encodeToString(secret), null, null,
                List.of(), List.of(), List.of(), List.of(), null, 0);
    }

    /**
     * X.509 from PEM files: the private key ({@code PRIVATE KEY} or {@code EC PRIVATE KEY}), the certificate chain
     * (leaf first) and the trust anchors that the server's chain must lead to.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static CoapSecurity x509Pem(Path privateKeyPem, Path certificateChainPem, Path trustedCertificatesPem) {
        return x509Pem("privateKeyPem", privateKeyPem, "certificateChainPem", certificateChainPem,
                "trustedCertificatesPem", trustedCertificatesPem);
    }

    /** {@link #x509Pem(Path, Path, Path)}, naming each file by the setting it came from in every error. */
    static CoapSecurity x509Pem(String keyName, Path privateKeyPem, String chainName, Path certificateChainPem,
                                String trustedName, Path trustedCertificatesPem) {
        PrivateKey key = KeyMaterial.readPrivateKey(keyName, privateKeyPem);
        X509Certificate[] chain = KeyMaterial.readCertificates(chainName, certificateChainPem);
        KeyMaterial.requireMatch(key, chain[0].getPublicKey(), keyName + " must be the private key of the first "
                + "certificate of " + chainName + " (" + chain[0].getSubjectX500Principal() + "), was '"
                + privateKeyPem + "'");
        X509Certificate[] trusted = KeyMaterial.readCertificates(trustedName, trustedCertificatesPem);
        return new CoapSecurity(Mode.X509, null, null, KeyMaterial.encode(key), null, KeyMaterial.encode(chain),
                KeyMaterial.encode(trusted), List.of(), List.of(), null, 0);
    }

    /**
     * X.509 from key stores (PKCS12 for {@code .p12}/{@code .pfx}, otherwise JKS): the key store's only key
     * entry (its key password is the store password) and every certificate of the trust store as trust anchor.
     *
     * @throws IllegalArgumentException naming the store and what is wrong with it (wrong password, no key entry,
     *                                  several key entries, no certificate)
     */
    public static CoapSecurity keyStore(Path keyStore, char[] keyStorePassword, Path trustStore,
                                        char[] trustStorePassword) {
        return keyStore(keyStore, keyStorePassword, null, trustStore, trustStorePassword);
    }

    /**
     * X.509 from key stores, taking the key entry {@code keyAlias} ({@code null}: the store's only key entry). See
     * {@link #keyStore(Path, char[], Path, char[])}.
     */
    public static CoapSecurity keyStore(Path keyStore, char[] keyStorePassword, String keyAlias, Path trustStore,
                                        char[] trustStorePassword) {
        return keyStore("keyStore", keyStore, keyStorePassword, keyAlias, "trustStore", trustStore,
                trustStorePassword);
    }

    /** {@link #keyStore(Path, char[], String, Path, char[])}, naming each store by its setting in every error. */
    static CoapSecurity keyStore(String keyStoreName, Path keyStore, char[] keyStorePassword, String keyAlias,
                                 String trustStoreName, Path trustStore, char[] trustStorePassword) {
        KeyStore keys = KeyMaterial.loadStore(keyStoreName, keyStore, keyStorePassword);
        KeyMaterial.KeyEntry entry = KeyMaterial.keyEntry(keyStoreName, keyStore, keys, keyAlias, keyStorePassword);
        KeyStore trust = KeyMaterial.loadStore(trustStoreName, trustStore, trustStorePassword);
        List<Certificate> anchors = KeyMaterial.trustedCertificates(trustStoreName, trustStore, trust);
        return new CoapSecurity(Mode.X509, null, null, KeyMaterial.encode(entry.key()), null,
                KeyMaterial.encode(entry.chain()), KeyMaterial.encode(anchors.toArray(Certificate[]::new)), List.of(),
                List.of(), null, 0);
    }

    /**
     * Raw public keys (RFC 7250): {@code ownKeyPairPem} holds this client's {@code PRIVATE KEY} (or
     * {@code EC PRIVATE KEY}) and its {@code PUBLIC KEY} (derived from the private key when absent);
     * each of {@code trustedServerKeysPem} holds a server {@code PUBLIC KEY} to accept, and no other key is
     * accepted.
     */
    public static CoapSecurity rawPublicKey(Path ownKeyPairPem, List<Path> trustedServerKeysPem) {
        return rawPublicKey("ownKeyPairPem", ownKeyPairPem, "trustedServerKeysPem", trustedServerKeysPem);
    }

    /** {@link #rawPublicKey(Path, List)}, naming each file by its setting in every error. */
    static CoapSecurity rawPublicKey(String ownName, Path ownKeyPairPem, String trustedName,
                                     List<Path> trustedServerKeysPem) {
        KeyMaterial.KeyPairPem own = KeyMaterial.readKeyPair(ownName, ownKeyPairPem);
        List<String> trusted = new ArrayList<>();
        for (int i = 0; i < trustedServerKeysPem.size(); i++) {
            trusted.add(KeyMaterial.encode(KeyMaterial.readPublicKey(trustedName + "[" + i + "]",
                    trustedServerKeysPem.get(i))));
        }
        return new CoapSecurity(Mode.RAW_PUBLIC_KEY, null, null, KeyMaterial.encode(own.privateKey()),
                KeyMaterial.encode(own.publicKey()), List.of(), List.of(), trusted, List.of(), null, 0);
    }

    /** A copy offering only {@code cipherSuites} (Scandium names), most preferred first; empty: Scandium's choice. */
    public CoapSecurity withCipherSuites(List<String> cipherSuites) {
        return new CoapSecurity(mode, pskIdentity, pskSecret, privateKey, publicKey, certificateChain,
                trustedCertificates, trustedPublicKeys, cipherSuites, bindHost, bindPort);
    }

    /** A copy whose DTLS socket binds {@code host} ({@code null}: automatic) and {@code port} (0: ephemeral). */
    public CoapSecurity withBindAddress(String host, int port) {
        return new CoapSecurity(mode, pskIdentity, pskSecret, privateKey, publicKey, certificateChain,
                trustedCertificates, trustedPublicKeys, cipherSuites, host, port);
    }

    /** Whether these are DTLS credentials, i.e. {@code coaps://} resources can be reached. */
    public boolean secure() {
        return mode != Mode.NONE;
    }

    /** The PSK secret's bytes; {@code null} unless {@link Mode#PSK}. */
    public byte[] pskSecretBytes() {
        return pskSecret == null ? null : KeyMaterial.base64("pskSecret", pskSecret);
    }

    @Override
    public String toString() {
        return "CoapSecurity[mode=" + mode
                + (pskIdentity == null ? "" : ", pskIdentity=" + pskIdentity + ", pskSecret=(hidden)")
                + (privateKey == null ? "" : ", privateKey=(hidden)")
                + (certificateChain.isEmpty() ? "" : ", certificateChain=" + certificateChain.size() + " certificates")
                + (trustedCertificates.isEmpty() ? "" : ", trustedCertificates=" + trustedCertificates.size())
                + (trustedPublicKeys.isEmpty() ? "" : ", trustedPublicKeys=" + trustedPublicKeys.size())
                + (cipherSuites.isEmpty() ? "" : ", cipherSuites=" + cipherSuites)
                + (bindHost == null && bindPort == 0 ? "" : ", bind=" + bindHost + ':' + bindPort) + ']';
    }

    /** Whether {@code suite} names a cipher suite Scandium can negotiate. */
    static boolean negotiable(String suite) {
        CipherSuite cs = CipherSuite.getTypeByName(suite);
        return cs != null && cs.isValidForNegotiation();
    }

    /** Whether {@code suite}, a {@link #negotiable} one, can be used with {@code mode} credentials. */
    static boolean suits(String suite, Mode mode) {
        CipherSuite cs = CipherSuite.getTypeByName(suite);
        return switch (mode) {
            case PSK -> cs.isPskBased();
            case X509, RAW_PUBLIC_KEY -> cs.requiresServerCertificateMessage();
            case NONE -> false;
        };
    }

    private static List<String> copy(String key, List<String> values) {
        if (values == null) {
            return List.of();
        }
        for (String v : values) {
            if (v == null) {
                throw new IllegalArgumentException(key + " must not contain null");
            }
        }
        return List.copyOf(values);
    }

    private static void requireAbsent(Mode mode, String pskIdentity, String pskSecret, String privateKey,
                                      String publicKey, List<String> chain, List<String> trusted,
                                      List<String> trustedKeys) {
        String[] names = {"pskIdentity", "pskSecret", "privateKey", "publicKey"};
        String[] values = {pskIdentity, pskSecret, privateKey, publicKey};
        for (int i = 0; i < names.length; i++) {
            if (values[i] != null) {
                throw new IllegalArgumentException(names[i] + " does not apply to " + mode + " credentials");
            }
        }
        List<String> listNames = Arrays.asList("certificateChain", "trustedCertificates", "trustedPublicKeys");
        List<List<String>> lists = Arrays.asList(chain, trusted, trustedKeys);
        for (int i = 0; i < lists.size(); i++) {
            if (!lists.get(i).isEmpty()) {
                throw new IllegalArgumentException(listNames.get(i) + " does not apply to " + mode + " credentials");
            }
        }
    }
}
