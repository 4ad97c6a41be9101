package io.iotgrid.sinks;

import io.iotgrid.coap.CoapSecurity;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.SettingsBuilder;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * How a {@link CoapSinks} sink sends its requests and what it does with those that fail. Each setting is declared
 * once below (key, default, check, meaning); the README's option table lists the same. A bad value fails with a
 * message that names its key and the value.
 * <pre>{@code
 * CoapSinkSettings settings = CoapSinkSettings.builder()
 *         .set(CoapSinkSettings.METHOD, CoapMethod.POST)
 *         .set(CoapSinkSettings.ERROR_POLICY, ErrorPolicy.RETRY)
 *         .set(CoapSinkSettings.SECURITY, CoapSecurity.psk("gw-1", secret))
 *         .build();
 * }</pre>
 * {@link #BIND_ADDRESS} is the one local address of the sink: the {@code coap://} endpoint binds there on an
 * ephemeral port, and so does the {@code coaps://} (DTLS) endpoint, on {@link CoapSecurity#bindPort()} when that is
 * not 0; {@link Builder#build()} therefore rejects a {@link #SECURITY} with its own {@link CoapSecurity#bindHost()}.
 * The DTLS key material travels with the job, so members need no key files.
 */
public final class CoapSinkSettings extends ErrorHandlingSettings {

    private static final long serialVersionUID = 1L;

    /** Largest {@link #MAX_IN_FLIGHT}: more only grows the work lost to a failure, not the throughput. */
    public static final int MAX_IN_FLIGHT_LIMIT = 1024;

    /** Every setting of a CoAP sink. */
    public static final SettingGroup GROUP = new SettingGroup("CoAP sink");

    public static final Setting<CoapMethod> METHOD = GROUP.add(Setting.enumeration("method", CoapMethod.class,
            CoapMethod.PUT, "the request method: `put` or `post`"));
    public static final Setting<Boolean> CONFIRMABLE = GROUP.add(Setting.bool("confirmable", true,
            "CON requests, which Californium retransmits until the server acknowledges them; `false` for NON "
                    + "requests, sent once"));
    public static final Setting<Duration> REQUEST_TIMEOUT = GROUP.add(Setting.duration("request.timeout",
            Duration.ofSeconds(10), "a request without a response by then fails (and is cancelled), a CON "
                    + "request's retransmissions included").require(d -> d.toMillis() >= 1, "at least 1ms"));
    public static final Setting<Integer> MAX_IN_FLIGHT = GROUP.add(Setting.integer("max.in.flight", 8,
            "items a processor holds: in flight, waiting for a retry, queued behind a request to the same URI, or "
                    + "being dead-lettered; it takes no more input meanwhile, which back-pressures the job; 1 to "
                    + MAX_IN_FLIGHT_LIMIT)
            .require(n -> n >= 1 && n <= MAX_IN_FLIGHT_LIMIT, "between 1 and " + MAX_IN_FLIGHT_LIMIT));
    public static final Setting<ErrorPolicy> ERROR_POLICY = GROUP.add(ErrorHandlingSettings.ERROR_POLICY);
    public static final Setting<Integer> MAX_RETRIES = GROUP.add(ErrorHandlingSettings.MAX_RETRIES);
    public static final Setting<Duration> RETRY_INTERVAL = GROUP.add(ErrorHandlingSettings.RETRY_INTERVAL);
    public static final Setting<String> DEAD_LETTERS_MAP = GROUP.add(ErrorHandlingSettings.DEAD_LETTERS_MAP);
    public static final Setting<String> BIND_ADDRESS = GROUP.add(Setting.string("bind.address", "0.0.0.0",
            "the sink's one local address, an IP address or a host name: its `coap://` and its `coaps://` endpoint "
                    + "both bind there (ephemeral ports); e.g. `127.0.0.1` when every resource is local")
            .require(CoapSinkSettings::resolvable, "an IP address or a host name that resolves"));
    public static final Setting<CoapSecurity> SECURITY = GROUP.add(Setting.of("security",
            "none, or DTLS credentials set in Java as a CoapSecurity", CoapSecurity.none(),
            CoapSinkSettings::parseSecurity, security -> security.mode().name().toLowerCase(Locale.ROOT),
            "DTLS credentials for `coaps://` items (`CoapSecurity`: PSK, X.509, raw public keys, cipher suites; "
                    + "its `bindPort` fixes the DTLS endpoint's port, its `bindHost` must stay unset); `coap://` items "
                    + "never use them"));

    private CoapSinkSettings(Builder builder) {
        super(builder);
    }

    /** Every setting at its default. */
    public static CoapSinkSettings defaults() {
        return builder().build();
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@link #METHOD}. */
    public CoapMethod method() {
        return get(METHOD);
    }

    /** {@link #CONFIRMABLE}. */
    public boolean confirmable() {
        return get(CONFIRMABLE);
    }

    /** {@link #REQUEST_TIMEOUT}. */
    public Duration requestTimeout() {
        return get(REQUEST_TIMEOUT);
    }

    /** {@link #MAX_IN_FLIGHT}. */
    public int maxInFlight() {
        return get(MAX_IN_FLIGHT);
    }





    /** {@link #BIND_ADDRESS}. */
    public String bindAddress() {
        return get(BIND_ADDRESS);
    }

    /** {@link #SECURITY}. */
    public CoapSecurity security() {
        return get(SECURITY);
    }

    private static boolean resolvable(String host) {
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static CoapSecurity parseSecurity(String text) {
        // Credentials are key material, built in Java; only "no DTLS" has a text form.
        if (text.equalsIgnoreCase("none")) {
            return CoapSecurity.none();
        }
        throw new IllegalArgumentException("credentials are set in Java");
    }

    /** Builds {@link CoapSinkSettings}; {@link #build()} rejects a {@link #SECURITY} with its own bind host. */
    public static final class Builder extends SettingsBuilder<CoapSinkSettings, Builder> {

        private Builder() {
            super(GROUP);
        }

        private Builder(CoapSinkSettings from) {
            super(GROUP, from);
        }

        @Override
        protected void sanityCheck() {
            CoapSecurity security = get(SECURITY);
            if (security.bindHost() != null) {
                throw new IllegalArgumentException(SECURITY.key() + " must not have a bind host of its own on a sink, "
                        + "was '" + security.bindHost() + "': the sink's coap:// and coaps:// endpoints both bind to "
                        + BIND_ADDRESS.key() + " ('" + get(BIND_ADDRESS) + "'), set that instead");
            }
        }

        @Override
        protected CoapSinkSettings create() {
            return new CoapSinkSettings(this);
        }
    }
}
