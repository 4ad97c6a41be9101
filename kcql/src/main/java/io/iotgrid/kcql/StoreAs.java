package io.iotgrid.kcql;

import io.iotgrid.core.settings.Setting;
import io.iotgrid.kcql.impl.KcqlGrammar;

import java.util.List;

/**
 * The Hazelcast structure a statement writes to, named by KCQL's {@code STOREAS} clause (case-insensitive).
 * When a statement has no {@code STOREAS}, it writes to a {@link #RELIABLE_TOPIC}, as stream-reactor's sink did.
 * Unlike stream-reactor, whose sink quietly wrote to a reliable topic whenever it did not know the name, an
 * unknown name is rejected when the statement is parsed. {@link #parameters()} says which
 * {@link StoreAsParameters} a structure takes in {@code STOREAS TYPE(key=value, ...)}: those Hazelcast lets a sink
 * honour, per entry or through the members' configuration.
 */
public enum StoreAs {

    /** A {@code ReliableTopic}: each formatted value is published as one message. The default. */
    RELIABLE_TOPIC(false, false),
    /**
     * A {@code Ringbuffer}: each formatted value is appended. Its capacity and time to live are fixed when it is
     * created, so {@code capacity} and {@code timeToLive} are written into the members' configuration when the
     * job is built, and a Ringbuffer that exists already with another capacity fails the build.
     */
    RING_BUFFER(false, false, StoreAsParameters.CAPACITY, StoreAsParameters.TIME_TO_LIVE),
    /** An {@code IQueue}: each formatted value is offered. */
    QUEUE(false, false),
    /** An {@code ISet}: each formatted value is added; equal values are kept once. */
    SET(false, false),
    /** An {@code IList}: each formatted value is appended. */
    LIST(false, false),
    /** An {@code IMap}: the value is put under the statement's key, replacing the previous one; may expire. */
    IMAP(true, true, StoreAsParameters.TIME_TO_LIVE),
    /** A {@code MultiMap}: the value is added to the values under the statement's key. */
    MULTI_MAP(true, false),
    /**
     * A JCache {@code ICache}: the value is put under the statement's key, replacing the previous one; may expire.
     * The cache must be configured on the members, which is checked when the job is built.
     */
    ICACHE(true, true, StoreAsParameters.TIME_TO_LIVE);

    private final boolean keyed;
    private final boolean expiring;
    private final List<Setting<?>> parameters;

    StoreAs(boolean keyed, boolean expiring, Setting<?>... parameters) {
        this.keyed = keyed;
        this.expiring = expiring;
        this.parameters = List.of(parameters);
    }

    /** Whether the structure stores values under a key, so that a {@code PK} means something. */
    public boolean keyed() {
        return keyed;
    }

    /** Whether entries of the structure can expire one by one, so that a {@code TTL} means something. */
    public boolean expiring() {
        return expiring;
    }

    /** The {@link StoreAsParameters} the structure takes in {@code STOREAS TYPE(key=value, ...)}; may be empty. */
    public List<Setting<?>> parameters() {
        return parameters;
    }

    /**
     * The structure named {@code name}, ignoring case, e.g. {@code StoreAs.of("ring_buffer")}.
     *
     * @throws IllegalArgumentException if no structure has that name; the message lists the valid ones
     */
    public static StoreAs of(String name) {
        return KcqlGrammar.lookup(StoreAs.class, "STOREAS", name, null);
    }
}
