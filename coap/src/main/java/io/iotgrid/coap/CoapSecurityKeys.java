package io.iotgrid.coap;

import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.SettingsReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code coap.*} keys that give {@link CoapSecurity} in properties and job-jar arguments, declared once:
 * {@code coap.security} chooses the credentials, and each kind takes only its own keys. A settings type takes them
 * as one value with {@link #CREDENTIALS}.
 * <pre>{@code
 * coap.security=psk coap.psk.identity=gw-1 coap.psk.secret.file=/etc/iot-grid/psk
 * }</pre>
 * Key files are read when the keys are read, on the machine that reads them (where {@code hz-cli} runs for a job
 * jar); their content travels with the settings, so the members need none. Every error names the key the user
 * wrote and the bad value or file.
 */
public final class CoapSecurityKeys {

    /** Every key of the DTLS credentials. */
    public static final SettingGroup GROUP = new SettingGroup("CoAP DTLS credentials");

    private static final String MODES = "none, psk, x509, keystore or rpk";

    public static final Setting<String> SECURITY = GROUP.add(Setting.of("coap.security", MODES, "none",
            text -> text.toLowerCase(Locale.ROOT), text -> text, "`none` (a `coaps://` URI is rejected), `psk`, "
                    + "`x509`, `keystore` or `rpk`; each takes only its own keys below")
            .require(mode -> List.of("none", "psk", "x509", "keystore", "rpk").contains(mode), MODES));
    public static final Setting<String> PSK_IDENTITY = GROUP.add(Setting.string("coap.psk.identity", null,
            "PSK identity (UTF-8); required for `psk`").optional());
    public static final Setting<String> PSK_SECRET = GROUP.add(Setting.string("coap.psk.secret", null,
            "the PSK secret as text; for `psk`, this or `coap.psk.secret.file`").optional());
    public static final Setting<Path> PSK_SECRET_FILE = GROUP.add(file("coap.psk.secret.file",
            "for `psk`, a file holding the secret instead of `coap.psk.secret` (trailing line breaks are not "
                    + "part of it)"));
    public static final Setting<Path> X509_KEY = GROUP.add(file("coap.x509.key",
            "PEM file of the own `PRIVATE KEY` or `EC PRIVATE KEY`; required for `x509`"));
    public static final Setting<Path> X509_CHAIN = GROUP.add(file("coap.x509.chain",
            "PEM file of the own certificate chain, leaf first; required for `x509`"));
    public static final Setting<Path> X509_TRUSTED = GROUP.add(file("coap.x509.trusted",
            "PEM file of the trust anchors the server's chain must lead to; required for `x509`"));
    public static final Setting<Path> KEYSTORE_PATH = GROUP.add(file("coap.keystore.path",
            "PKCS12 or JKS key store with the client's key entry (key password = store password); required for "
                    + "`keystore`"));
    public static final Setting<String> KEYSTORE_PASSWORD = GROUP.add(Setting.string("coap.keystore.password", null,
            "the key store's password; required for `keystore`").optional());
    public static final Setting<String> KEYSTORE_ALIAS = GROUP.add(Setting.string("coap.keystore.alias", null,
            "which key entry to use; not set: the store's only key entry").optional());
    public static final Setting<Path> TRUSTSTORE_PATH = GROUP.add(file("coap.truststore.path",
            "PKCS12 or JKS store whose every certificate is a trust anchor (keep only those you trust); required "
                    + "for `keystore`"));
    public static final Setting<String> TRUSTSTORE_PASSWORD = GROUP.add(Setting.string("coap.truststore.password",
            null, "the trust store's password; required for `keystore`").optional());
    public static final Setting<Path> RPK_KEYPAIR = GROUP.add(file("coap.rpk.keypair",
            "PEM file with the own `PRIVATE KEY` (+ `PUBLIC KEY`); required for `rpk`"));
    public static final Setting<List<Path>> RPK_TRUSTED = GROUP.add(Setting.of("coap.rpk.trusted",
            "comma-separated file paths", null,
            text -> Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList(),
            paths -> String.join(",", paths.stream().map(Path::toString).toList()),
            "PEM files of the server `PUBLIC KEY`s to accept, comma-separated; no other key is accepted; required "
                    + "for `rpk`").require(paths -> !paths.isEmpty(), "at least one file").optional());
    public static final Setting<List<String>> CIPHER_SUITES = GROUP.add(Setting.list("coap.cipher.suites", List.of(),
            "Scandium cipher suite names, most preferred first, e.g. `TLS_PSK_WITH_AES_128_CCM_8`; empty: Scandium's "
                    + "choice for the credentials")
            .require(suites -> suites.stream().allMatch(CoapSecurity::negotiable),
                    "cipher suites Scandium can negotiate, e.g. TLS_PSK_WITH_AES_128_CCM_8"));
    public static final Setting<String> BIND_HOST = GROUP.add(Setting.string("coap.bind.host", null,
            "local address of the DTLS socket; not set: 127.0.0.1 when every peer is on loopback, else the wildcard "
                    + "address").optional());
    public static final Setting<Integer> BIND_PORT = GROUP.add(Setting.integer("coap.bind.port", 0,
            "local UDP port of the DTLS socket; `0`: an ephemeral one").require(p -> p >= 0 && p <= 65_535,
            "0 (ephemeral) to 65535"));

    /** The DTLS credentials as one value of a settings type, read from the keys of {@link #GROUP}. */
    public static final Setting<CoapSecurity> CREDENTIALS = Setting.part("coap.security", GROUP,
            CoapSecurity.none(), CoapSecurityKeys::read, "DTLS credentials for `coaps://` URIs; default none");

    /** The keys each {@link #SECURITY} value takes; a key of another value is rejected. */
    private static final Map<String, List<Setting<?>>> MODE_KEYS = Map.of(
            "none", List.of(),
            "psk", List.of(PSK_IDENTITY, PSK_SECRET, PSK_SECRET_FILE),
            "x509", List.of(X509_KEY, X509_CHAIN, X509_TRUSTED),
            "keystore", List.of(KEYSTORE_PATH, KEYSTORE_PASSWORD, KEYSTORE_ALIAS, TRUSTSTORE_PATH, TRUSTSTORE_PASSWORD),
            "rpk", List.of(RPK_KEYPAIR, RPK_TRUSTED));

    private CoapSecurityKeys() {
    }

    /**
     * The credentials the keys of {@link #GROUP} give, reading their key files now.
     *
     * @throws IllegalArgumentException naming the key and its value when a value is bad, a file cannot be read, a
     *                                  required key is missing or a key does not apply to the chosen credentials
     */
    public static CoapSecurity read(SettingsReader keys) {
        String mode = keys.get(SECURITY);
        List<Setting<?>> own = MODE_KEYS.get(mode);
        MODE_KEYS.values().stream().flatMap(List::stream)
                 .filter(s -> !own.contains(s) && keys.has(s))
                 .findFirst()
                 .ifPresent(s -> {
                     throw new IllegalArgumentException(s.key() + " does not apply to " + SECURITY.key() + "=" + mode);
                 });
        if (mode.equals("none")) {
            List.of(CIPHER_SUITES, BIND_HOST, BIND_PORT).stream().filter(keys::has).findFirst().ifPresent(s -> {
                throw new IllegalArgumentException(s.key() + " applies only to DTLS: set " + SECURITY.key());
            });
            return CoapSecurity.none();
        }
        CoapSecurity credentials = switch (mode) {
            case "psk" -> CoapSecurity.psk(required(keys, PSK_IDENTITY), pskSecret(keys));
            case "x509" -> CoapSecurity.x509Pem(X509_KEY.key(), required(keys, X509_KEY), X509_CHAIN.key(),
                    required(keys, X509_CHAIN), X509_TRUSTED.key(), required(keys, X509_TRUSTED));
            case "keystore" -> CoapSecurity.keyStore(KEYSTORE_PATH.key(), required(keys, KEYSTORE_PATH),
                    required(keys, KEYSTORE_PASSWORD).toCharArray(), keys.get(KEYSTORE_ALIAS), TRUSTSTORE_PATH.key(),
                    required(keys, TRUSTSTORE_PATH), required(keys, TRUSTSTORE_PASSWORD).toCharArray());
            case "rpk" -> CoapSecurity.rawPublicKey(RPK_KEYPAIR.key(), required(keys, RPK_KEYPAIR), RPK_TRUSTED.key(),
                    required(keys, RPK_TRUSTED));
            default -> throw new IllegalStateException("no credentials for " + SECURITY.key() + "=" + mode);
        };
        List<String> suites = keys.get(CIPHER_SUITES);
        suites.stream().filter(suite -> !CoapSecurity.suits(suite, credentials.mode())).findFirst().ifPresent(suite -> {
            throw new IllegalArgumentException(CIPHER_SUITES.key() + " must be cipher suites for " + SECURITY.key()
                    + "=" + mode + ", was '" + CIPHER_SUITES.format(suites) + "' ('" + suite + "' is not)");
        });
        return credentials.withCipherSuites(suites).withBindAddress(keys.get(BIND_HOST), keys.get(BIND_PORT));
    }

    /** The value of a key its mode requires (the group declares every key optional: each applies to one mode). */
    private static <T> T required(SettingsReader keys, Setting<T> setting) {
        T value = keys.get(setting);
        if (value == null) {
            throw new IllegalArgumentException(setting.key() + " is required: " + setting.doc());
        }
        return value;
    }

    private static byte[] pskSecret(SettingsReader keys) {
        String secret = keys.get(PSK_SECRET);
        Path file = keys.get(PSK_SECRET_FILE);
        if ((secret == null) == (file == null)) {
            throw new IllegalArgumentException(SECURITY.key() + "=psk needs exactly one of " + PSK_SECRET.key()
                    + " and " + PSK_SECRET_FILE.key());
        }
        if (secret != null) {
            return secret.getBytes(StandardCharsets.UTF_8);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(PSK_SECRET_FILE.key() + " must be a readable file, was '" + file
                    + "': " + e);
        }
        // Editors and `echo` end the file with a line break that is not part of the secret.
        int length = bytes.length;
        while (length > 0 && (bytes[length - 1] == '\n' || bytes[length - 1] == '\r')) {
            length--;
        }
        if (length == 0) {
            throw new IllegalArgumentException(PSK_SECRET_FILE.key() + " must be a file holding the secret, was '"
                    + file + "', which is empty");
        }
        return Arrays.copyOf(bytes, length);
    }

    private static Setting<Path> file(String key, String doc) {
        return Setting.of(key, "a file path", null, Path::of, Path::toString, doc).optional();
    }
}
