package io.iotgrid.sources;

import io.iotgrid.coap.CoapSecurity;
import io.iotgrid.coap.CoapSecurityKeys;
import io.iotgrid.core.PayloadLimit;
import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import io.iotgrid.core.settings.Settings;
import io.iotgrid.core.settings.SettingsBuilder;
import io.iotgrid.core.settings.SettingsReader;
import io.iotgrid.sources.impl.CoapUris;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What {@link CoapSources#observe(CoapObserveSettings)} observes and how. Each setting is declared once below (key,
 * default, check, meaning), under the key the CoAP job jar takes; the README's option tables list the same. Build
 * them with {@link #builder()} or one of the {@code of} / {@code discover} factories, or read them from properties
 * or job-jar arguments with {@link SettingsReader}; a bad value fails with a message that names its key and the
 * value.
 * <pre>{@code
 * CoapObserveSettings.builder()
 *         .set(CoapObserveSettings.URIS, List.of("coap://10.0.0.5/sensors/s-1", "coaps://10.0.0.6/sensors/s-2"))
 *         .set(CoapObserveSettings.SECURITY, CoapSecurity.psk("gw-1", secret))
 *         .set(CoapObserveSettings.DISCOVERIES, List.of(CoapDiscovery.of("coap://10.0.0.7", "/sensors/*")))
 *         .set(CoapObserveSettings.REOBSERVE_MAX_BACKOFF, Duration.ofSeconds(30))
 *         .set(CoapObserveSettings.DISTRIBUTED, true)
 *         .build();
 * }</pre>
 * Settings are immutable and serializable: they travel with the job, DTLS key material included.
 */
public final class CoapObserveSettings extends Settings {

    private static final long serialVersionUID = 1L;

    /** Every setting of the CoAP source. */
    public static final SettingGroup GROUP = new SettingGroup("CoAP source");

    public static final Setting<List<String>> URIS = GROUP.add(Setting.list("coap.uris", List.of(),
            "`coap://` or `coaps://` resources to observe, comma-separated, each once; required unless `coap.discover` "
                    + "is given")
            .require(CoapUris::wellFormed, "valid URIs")
            .require(CoapUris.each(CoapUris::coapScheme), "coap:// or coaps:// URIs")
            .require(CoapUris.each(uri -> uri.getHost() != null), "URIs that name a host")
            .require(CoapUris.each(uri -> uri.getRawFragment() == null), "URIs without a fragment")
            .require(CoapUris::distinct, "URIs listed once each"));
    public static final Setting<List<CoapDiscovery>> DISCOVERIES = GROUP.add(Setting.part("coap.discover",
            CoapDiscovery.GROUP, List.<CoapDiscovery>of(), CoapDiscovery::read,
            "servers whose `/.well-known/core` lists more resources to observe; default none")
            .require(discoveries -> discoveries.stream().allMatch(Objects::nonNull), "a list without null"));
    public static final Setting<CoapSecurity> SECURITY = GROUP.add(CoapSecurityKeys.CREDENTIALS);
    public static final Setting<Integer> QUEUE_CAPACITY = GROUP.add(Setting.integer("coap.queue.capacity", 10_000,
            "notifications held per processor between Californium and the job; when full, new ones are dropped and "
                    + "counted in `coapDropped`").require(c -> c > 0, "positive"));
    public static final Setting<Boolean> CONFIRMABLE = GROUP.add(Setting.bool("coap.confirmable", true,
            "CON observe requests (retransmitted until acknowledged); `false` for NON. The server chooses its "
                    + "notifications' type"));
    public static final Setting<Duration> REOBSERVE_INITIAL_BACKOFF = GROUP.add(positive(Setting.duration(
            "coap.reobserve.initial.backoff", Duration.ofSeconds(1),
            "wait before the first re-observation of a lost relation; doubles with every consecutive failure")));
    public static final Setting<Duration> REOBSERVE_MAX_BACKOFF = GROUP.add(positive(Setting.duration(
            "coap.reobserve.max.backoff", Duration.ofSeconds(60), "the most the wait grows to; re-observation never "
                    + "gives up; a notification resets the backoff")));
    public static final Setting<Duration> MAX_SILENCE = GROUP.add(positive(Setting.duration("coap.max.silence",
            Duration.ofSeconds(15), "a relation with no notification for longer than this, or than its last Max-Age "
                    + "when the server sent a longer one, plus `coap.max.age.margin`, is lost and re-observed with a "
                    + "new token: a restarted server that sends no Max-Age is observed again within this, not after "
                    + "CoAP's default Max-Age of 60 s")));
    public static final Setting<Duration> MAX_AGE_MARGIN = GROUP.add(positive(Setting.duration("coap.max.age.margin",
            Duration.ofSeconds(5), "added to `coap.max.silence` or to the last Max-Age before a silent relation is "
                    + "lost (Californium's own re-registration starts 2 s after Max-Age)")));
    public static final Setting<Duration> REGISTRATION_TIMEOUT = GROUP.add(positive(Setting.duration(
            "coap.registration.timeout", Duration.ofSeconds(30), "an observe request (or discovery GET) without an "
                    + "answer for this long is given up and retried")));
    public static final Setting<Duration> ACK_TIMEOUT = GROUP.add(positive(Setting.duration("coap.ack.timeout",
            Duration.ofSeconds(2), "CoAP ACK_TIMEOUT of CON messages (RFC 7252), and the initial retransmission "
                    + "timeout of DTLS handshake flights")));
    public static final Setting<Integer> MAX_RETRANSMIT = GROUP.add(Setting.integer("coap.max.retransmit", 4,
            "CoAP MAX_RETRANSMIT, and the retransmissions of a DTLS handshake flight before the handshake fails")
            .require(n -> n >= 0 && n <= 20, "0 to 20"));
    public static final Setting<Boolean> DISTRIBUTED = GROUP.add(Setting.bool("coap.distributed", false,
            "`false`: one processor in the cluster observes everything; `true`: `coap.local.parallelism` processors "
                    + "on every member, each observing a disjoint share of the resources (by a hash of the URI)"));
    public static final Setting<Integer> LOCAL_PARALLELISM = GROUP.add(Setting.integer("coap.local.parallelism", 1,
            "processors per member when `coap.distributed`").require(n -> n >= 1, "at least 1"));
    /**
     * {@link PayloadLimit#MAX_BYTES}: Californium assembles block-wise notifications up to this size; a larger one
     * becomes a dead letter in {@link CoapSources#readings}.
     */
    public static final Setting<Integer> MAX_PAYLOAD_BYTES = GROUP.add(PayloadLimit.MAX_BYTES);

    private CoapObserveSettings(Builder builder) {
        super(builder);
    }

    /** A builder with every setting at its default; {@link #URIS} or {@link #DISCOVERIES} must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Observes {@code uris} with every default. */
    public static CoapObserveSettings of(String... uris) {
        return builder().set(URIS, Arrays.asList(uris)).build();
    }

    /** Observes {@code uris}, {@code coaps://} ones with {@code security}, with every other default. */
    public static CoapObserveSettings of(CoapSecurity security, String... uris) {
        return builder().set(SECURITY, security).set(URIS, Arrays.asList(uris)).build();
    }

    /** Observes what {@code discoveries} find, with every default. */
    public static CoapObserveSettings discover(CoapDiscovery... discoveries) {
        return builder().set(DISCOVERIES, Arrays.asList(discoveries)).build();
    }

    /** Observes what {@code discoveries} find, {@code coaps://} servers with {@code security}. */
    public static CoapObserveSettings discover(CoapSecurity security, CoapDiscovery... discoveries) {
        return builder().set(SECURITY, security).set(DISCOVERIES, Arrays.asList(discoveries)).build();
    }

    /** {@link #URIS}. */
    public List<String> resources() {
        return get(URIS);
    }

    /** {@link #DISCOVERIES}. */
    public List<CoapDiscovery> discoveries() {
        return get(DISCOVERIES);
    }

    /** {@link #SECURITY}; {@link CoapSecurity#none()} by default. */
    public CoapSecurity security() {
        return get(SECURITY);
    }

    /** {@link #QUEUE_CAPACITY}. */
    public int queueCapacity() {
        return get(QUEUE_CAPACITY);
    }

    /** {@link #CONFIRMABLE}. */
    public boolean confirmable() {
        return get(CONFIRMABLE);
    }

    /** {@link #REOBSERVE_INITIAL_BACKOFF}. */
    public Duration reobserveInitialBackoff() {
        return get(REOBSERVE_INITIAL_BACKOFF);
    }

    /** {@link #REOBSERVE_MAX_BACKOFF}. */
    public Duration reobserveMaxBackoff() {
        return get(REOBSERVE_MAX_BACKOFF);
    }

    /** {@link #MAX_SILENCE}. */
    public Duration maxSilence() {
        return get(MAX_SILENCE);
    }

    /** {@link #MAX_AGE_MARGIN}. */
    public Duration maxAgeMargin() {
        return get(MAX_AGE_MARGIN);
    }

    /** {@link #REGISTRATION_TIMEOUT}. */
    public Duration registrationTimeout() {
        return get(REGISTRATION_TIMEOUT);
    }

    /** {@link #ACK_TIMEOUT}. */
    public Duration ackTimeout() {
        return get(ACK_TIMEOUT);
    }

    /** {@link #MAX_RETRANSMIT}. */
    public int maxRetransmit() {
        return get(MAX_RETRANSMIT);
    }

    /** {@link #DISTRIBUTED}. */
    public boolean distributed() {
        return get(DISTRIBUTED);
    }

    /** {@link #LOCAL_PARALLELISM}. */
    public int localParallelism() {
        return get(LOCAL_PARALLELISM);
    }

    /** {@link #MAX_PAYLOAD_BYTES}. */
    public int maxPayloadBytes() {
        return get(MAX_PAYLOAD_BYTES);
    }

    private static Setting<Duration> positive(Setting<Duration> setting) {
        return setting.require(d -> !d.isNegative() && !d.isZero(), "positive");
    }

    /**
     * Builds {@link CoapObserveSettings}; {@link #build()} checks that there is something to observe, that
     * {@code coaps://} has credentials, the backoff bounds and that local parallelism goes with distribution.
     */
    public static final class Builder extends SettingsBuilder<CoapObserveSettings, Builder> {

        private Builder() {
            super(GROUP);
        }

        private Builder(CoapObserveSettings from) {
            super(GROUP, from);
        }

        @Override
        protected void sanityCheck() {
            List<String> uris = get(URIS);
            List<CoapDiscovery> discoveries = get(DISCOVERIES);
            if (uris.isEmpty() && discoveries.isEmpty()) {
                throw new IllegalArgumentException(URIS.key() + " or " + CoapDiscovery.SERVERS.key() + " is required: "
                        + "the coap:// or coaps:// resources to observe, or servers that list them, comma-separated");
            }
            if (!get(SECURITY).secure()) {
                uris.stream().filter(CoapUris::secure).findFirst().ifPresent(uri -> {
                    throw new IllegalArgumentException(URIS.key() + " has coaps:// URI '" + uri + "' but "
                            + CoapSecurityKeys.SECURITY.key() + " is none: set it to psk, x509, keystore or rpk");
                });
                discoveries.stream().map(CoapDiscovery::server).filter(CoapUris::secure).findFirst().ifPresent(s -> {
                    throw new IllegalArgumentException(CoapDiscovery.SERVERS.key() + " has coaps:// URI '" + s
                            + "' but " + CoapSecurityKeys.SECURITY.key() + " is none: set it to psk, x509, keystore "
                            + "or rpk");
                });
            }
            Duration initial = get(REOBSERVE_INITIAL_BACKOFF);
            Duration max = get(REOBSERVE_MAX_BACKOFF);
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException(REOBSERVE_MAX_BACKOFF.key() + " must be at least "
                        + REOBSERVE_INITIAL_BACKOFF.key() + " (" + REOBSERVE_INITIAL_BACKOFF.format(initial)
                        + "), was '" + REOBSERVE_MAX_BACKOFF.format(max) + "'");
            }
            if (!get(DISTRIBUTED) && get(LOCAL_PARALLELISM) != 1) {
                throw new IllegalArgumentException(LOCAL_PARALLELISM.key() + " must be 1 unless " + DISTRIBUTED.key()
                        + "=true, was '" + get(LOCAL_PARALLELISM) + "'");
            }
        }

        @Override
        protected CoapObserveSettings create() {
            return new CoapObserveSettings(this);
        }
    }
}
