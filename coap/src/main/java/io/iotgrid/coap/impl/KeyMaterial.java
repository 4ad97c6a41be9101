package io.iotgrid.coap.impl;

import org.eclipse.californium.elements.util.Asn1DerDecoder;
import org.eclipse.californium.elements.util.PemReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Reads keys and certificates from PEM files and key stores, and converts them to and from the base64 DER that
 * {@link io.iotgrid.coap.CoapSecurity} keeps. Every failure is an {@link IllegalArgumentException} that names the
 * setting and the file.
 */
public final class KeyMaterial {

    private static final byte[] PROBE = "iot-grid key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyMaterial() {
    }

    /** A private key with the public key that belongs to it. */
    public record KeyPairPem(PrivateKey privateKey, PublicKey publicKey) {
    }

    /** A key store's key entry. */
    public record KeyEntry(PrivateKey key, X509Certificate[] chain) {
    }

    public static byte[] base64(String key, String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " is not base64: " + e.getMessage());
        }
    }

    public static PrivateKey privateKey(String key, String base64Pkcs8) {
        if (base64Pkcs8 == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        try {
            return Asn1DerDecoder.readPrivateKey(base64(key, base64Pkcs8)).getPrivateKey();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException(key + " is not a PKCS#8 private key: " + e.getMessage());
        }
    }

    public static PublicKey publicKey(String key, String base64Spki) {
        if (base64Spki == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        try {
            return Asn1DerDecoder.readSubjectPublicKey(base64(key, base64Spki));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException(key + " is not a SubjectPublicKeyInfo public key: " + e.getMessage());
        }
    }

    public static X509Certificate[] certificates(String key, List<String> base64Der) {
        X509Certificate[] certificates = new X509Certificate[base64Der.size()];
        for (int i = 0; i < certificates.length; i++) {
            certificates[i] = certificate(key + "[" + i + "]", base64(key, base64Der.get(i)));
        }
        return certificates;
    }

    /** Fails with {@code message} unless {@code publicKey} verifies what {@code privateKey} signs. */
    public static void requireMatch(PrivateKey privateKey, PublicKey publicKey, String message) {
        try {
            String algorithm = signatureAlgorithm(privateKey);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException(message);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(message + ": " + e.getMessage());
        }
    }

    public static String encode(Key key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static List<String> encode(Certificate[] certificates) {
        List<String> encoded = new ArrayList<>(certificates.length);
        for (Certificate c : certificates) {
            try {
                encoded.add(Base64.getEncoder().encodeToString(c.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot encode certificate " + c + ": " + e.getMessage());
            }
        }
        return encoded;
    }

    public static PrivateKey readPrivateKey(String key, Path pem) {
        return readKeyPair(key, pem).privateKey();
    }

    /** The {@code PRIVATE KEY} or {@code EC PRIVATE KEY} of {@code pem} and its public key. */
    public static KeyPairPem readKeyPair(String key, Path pem) {
        PrivateKey privateKey = null;
        PublicKey publicKey = null;
        for (PemBlock block : readPem(key, pem)) {
            try {
                switch (block.type()) {
                    case "PRIVATE KEY", "EC PRIVATE KEY" -> {
                        Asn1DerDecoder.Keys keys = block.type().equals("PRIVATE KEY")
                                ? Asn1DerDecoder.readPrivateKey(block.der())
                                : Asn1DerDecoder.readEcPrivateKeyV1(block.der());
                        if (keys == null || keys.getPrivateKey() == null) {
                            throw new IllegalArgumentException(key + " '" + pem + "': unsupported " + block.type());
                        }
                        privateKey = keys.getPrivateKey();
                        if (publicKey == null) {
                            publicKey = keys.getPublicKey();
                        }
                    }
                    case "PUBLIC KEY" -> publicKey = Asn1DerDecoder.readSubjectPublicKey(block.der());
                    default -> {
                        // Certificates or parameters next to the key are not what this setting reads.
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(key + " '" + pem + "': unreadable " + block.type() + ": "
                        + e.getMessage());
            }
        }
        if (privateKey == null) {
            throw new IllegalArgumentException(key + " '" + pem + "' holds no PRIVATE KEY or EC PRIVATE KEY");
        }
        if (publicKey == null) {
            throw new IllegalArgumentException(key + " '" + pem + "' holds no PUBLIC KEY and its private key "
                    + "does not carry one");
        }
        requireMatch(privateKey, publicKey, key + " '" + pem + "': PUBLIC KEY does not belong to the private key");
        return new KeyPairPem(privateKey, publicKey);
    }

    public static PublicKey readPublicKey(String key, Path pem) {
        for (PemBlock block : readPem(key, pem)) {
            if (block.type().equals("PUBLIC KEY")) {
                try {
                    return Asn1DerDecoder.readSubjectPublicKey(block.der());
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException(key + " '" + pem + "': unreadable PUBLIC KEY: "
                            + e.getMessage());
                }
            }
        }
        throw new IllegalArgumentException(key + " '" + pem + "' holds no PUBLIC KEY");
    }

    public static X509Certificate[] readCertificates(String key, Path pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (PemBlock block : readPem(key, pem)) {
            if (block.type().equals("CERTIFICATE")) {
                certificates.add(certificate(key + " '" + pem + "'", block.der()));
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(key + " '" + pem + "' holds no CERTIFICATE");
        }
        return certificates.toArray(X509Certificate[]::new);
    }

    /** Loads a PKCS12 or JKS store (the type is detected from the content). */
    public static KeyStore loadStore(String key, Path store, char[] password) {
        if (store == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        if (!Files.isReadable(store)) {
            throw new IllegalArgumentException(key + " '" + store + "' is not a readable file");
        }
        try {
            return KeyStore.getInstance(store.toFile(), password);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + " '" + store + "': wrong password or not a key store ("
                    + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " '" + store + "' cannot be loaded: " + e.getMessage());
        }
    }

    /** The entry {@code alias}, or the only key entry when {@code alias} is null. */
    public static KeyEntry keyEntry(String key, Path path, KeyStore store, String alias, char[] password) {
        try {
            String chosen = alias;
            if (chosen == null) {
                List<String> keyAliases = new ArrayList<>();
                for (String a : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(a)) {
                        keyAliases.add(a);
                    }
                }
                if (keyAliases.size() != 1) {
                    throw new IllegalArgumentException(key + " '" + path + "' must hold exactly one key entry when "
                            + "no alias is given, has " + keyAliases);
                }
                chosen = keyAliases.get(0);
            }
            if (!store.isKeyEntry(chosen)) {
                throw new IllegalArgumentException(key + " '" + path + "' has no key entry '" + chosen + "'");
            }
            Key k = store.getKey(chosen, password);
            if (!(k instanceof PrivateKey privateKey)) {
                throw new IllegalArgumentException(key + " '" + path + "': entry '" + chosen + "' is not a private key");
            }
            Certificate[] chain = store.getCertificateChain(chosen);
            if (chain == null || chain.length == 0) {
                throw new IllegalArgumentException(key + " '" + path + "': entry '" + chosen + "' has no certificate "
                        + "chain");
            }
            X509Certificate[] x509 = new X509Certificate[chain.length];
            for (int i = 0; i < chain.length; i++) {
                if (!(chain[i] instanceof X509Certificate c)) {
                    throw new IllegalArgumentException(key + " '" + path + "': entry '" + chosen + "' holds a "
                            + chain[i].getType() + " certificate, expected X.509");
                }
                x509[i] = c;
            }
            return new KeyEntry(privateKey, x509);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " '" + path + "': cannot read the key entry: " + e.getMessage());
        }
    }

    /** Every trusted-certificate entry of {@code store}; at least one. */
    public static List<Certificate> trustedCertificates(String key, Path path, KeyStore store) {
        List<Certificate> anchors = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias)) {
                    anchors.add(store.getCertificate(alias));
                }
            }
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException(key + " '" + path + "' cannot be read: " + e.getMessage());
        }
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException(key + " '" + path + "' holds no trusted certificate entry");
        }
        return anchors;
    }

    private static X509Certificate certificate(String key, byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " is not an X.509 certificate: " + e.getMessage());
        }
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm(); // EdDSA keys name their own signature: Ed25519, Ed448
        };
    }

    private record PemBlock(String type, byte[] der) {
    }

    private static List<PemBlock> readPem(String key, Path pem) {
        if (pem == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        if (!Files.isReadable(pem)) {
            throw new IllegalArgumentException(key + " '" + pem + "' is not a readable file");
        }
        List<PemBlock> blocks = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pem)) {
            PemReader reader = new PemReader(in);
            for (String type = reader.readNextBegin(); type != null; type = reader.readNextBegin()) {
                byte[] der = reader.readToEnd();
                if (der == null) {
                    throw new IllegalArgumentException(key + " '" + pem + "': the " + type + " block is truncated "
                            + "or not base64");
                }
                blocks.add(new PemBlock(type, der));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(key + " '" + pem + "' cannot be read: " + e.getMessage());
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(key + " '" + pem + "' is not PEM: no -----BEGIN ...----- block");
        }
        return blocks;
    }
}
