package io.iotgrid.coap.testing;

import io.iotgrid.coap.impl.KeyMaterial;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keys and certificates made at test time with the {@code openssl} command line (EC P-256), so no private key is
 * ever committed. {@code TestPki.create(tempDir)} writes into {@code dir}:
 * <ul>
 *   <li>{@code ca.pem}: a CA; {@code server.key}/{@code server.crt} (subject alternative name IP 127.0.0.1) and
 *       {@code client.key}/{@code client.crt}, both signed by it;</li>
 *   <li>{@code other-ca.pem}: a CA that signed nothing here, to be trusted when the server must not be;</li>
 *   <li>{@code client.p12} (password {@value #PASSWORD}, the client key and certificate) and
 *       {@code trust.jks} (same password, the CA as trusted entry);</li>
 *   <li>raw public keys: {@code server-rpk.pem} ({@code PUBLIC KEY} then {@code PRIVATE KEY}, what
 *       {@code coap-server-gnutls -M} reads), {@code server-rpk-pub.pem}, {@code client-rpk.pem} and
 *       {@code other-rpk-pub.pem} (a key no server holds).</li>
 * </ul>
 */
public record TestPki(Path dir) {

    /** Password of the key and trust stores. */
    public static final String PASSWORD = "changeit";

    private static final long OPENSSL_TIMEOUT_SECONDS = 30;

    /** Makes every file in {@code dir}. */
    public static TestPki create(Path dir) throws IOException {
        TestPki pki = new TestPki(dir);
        pki.make();
        return pki;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public Path ca() {
        return file("ca.pem");
    }

    public Path otherCa() {
        return file("other-ca.pem");
    }

    public Path serverKey() {
        return file("server.key");
    }

    public Path serverCertificate() {
        return file("server.crt");
    }

    public Path clientKey() {
        return file("client.key");
    }

    public Path clientCertificate() {
        return file("client.crt");
    }

    public Path clientKeyStore() {
        return file("client.p12");
    }

    public Path trustStore() {
        return file("trust.jks");
    }

    public Path serverRpk() {
        return file("server-rpk.pem");
    }

    public Path serverRpkPublic() {
        return file("server-rpk-pub.pem");
    }

    public Path clientRpk() {
        return file("client-rpk.pem");
    }

    public Path otherRpkPublic() {
        return file("other-rpk-pub.pem");
    }

    private void make() throws IOException {
        Files.createDirectories(dir);
        selfSignedCa("ca");
        selfSignedCa("other-ca");
        signed("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
        signed("client", "/CN=iot-grid-client", "extendedKeyUsage=clientAuth");
        openssl("pkcs12", "-export", "-inkey", "client.key", "-in", "client.crt", "-name", "client",
                "-out", "client.p12", "-passout", "pass:" + PASSWORD);
        trustStoreWithCa();

        ecKey("server-rpk.key");
        openssl("pkey", "-in", "server-rpk.key", "-pubout", "-out", "server-rpk-pub.pem");
        Files.writeString(serverRpk(), Files.readString(serverRpkPublic()) + Files.readString(file("server-rpk.key")));
        ecKey("client-rpk.pem");
        ecKey("other-rpk.key");
        openssl("pkey", "-in", "other-rpk.key", "-pubout", "-out", "other-rpk-pub.pem");
    }

    private void selfSignedCa(String name) throws IOException {
        ecKey(name + ".key");
        openssl("req", "-x509", "-new", "-key", name + ".key", "-sha256", "-days", "2", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-out", name + ".pem");
    }

    private void signed(String name, String subject, String extension) throws IOException {
        ecKey(name + ".key");
        openssl("req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr");
        Files.writeString(file(name + ".ext"), extension + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-sha256", "-extfile", name + ".ext", "-out", name + ".crt");
    }

    private void ecKey(String file) throws IOException {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file);
    }

    private void trustStoreWithCa() throws IOException {
        try {
            KeyStore jks = KeyStore.getInstance("JKS");
            jks.load(null, null);
            jks.setCertificateEntry("ca", KeyMaterial.readCertificates("ca", ca())[0]);
            try (OutputStream out = Files.newOutputStream(trustStore())) {
                jks.store(out, PASSWORD.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write " + trustStore(), e);
        }
    }

    private void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("openssl did not finish in " + OPENSSL_TIMEOUT_SECONDS + " s: " + command);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(command + " exited with " + process.exitValue() + ": " + Files.readString(log));
        }
    }
}
