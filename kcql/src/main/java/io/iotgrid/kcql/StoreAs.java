package io.iotgrid.kcql;

import io.iotgrid.kcql.impl.KcqlGrammar;

/**
 * The Hazelcast structure a statement writes to, named by KCQL's {@code STOREAS} clause (case-insensitive).
 * When a statement has no {@code STOREAS}, it writes to a {@link #RELIABLE_TOPIC}, as stream-reactor's sink did.
 * Unlike stream-reactor, whose sink quietly wrote to a reliable topic whenever it did not know the name, an
 * unknown name is rejected when the statement is parsed.
 */
public enum StoreAs {

    /** A {@code ReliableTopic}: each formatted value is published as one message. The default. */
    RELIABLE_TOPIC(false, false),
    /** A {@code Ringbuffer}: each formatted value is appended. */
    RING_BUFFER(false, false),
    /** An {@code IQueue}: each formatted value is offered. */
    QUEUE(false, false),
    /** An {@code ISet}: each formatted value is added; equal values are kept once. */
    SET(false, false),
    /** An {@code IList}: each formatted value is appended. */
    LIST(false, false),
    /** An {@code IMap}: the value is put under the statement's key, replacing the previous one; may expire. */
    IMAP(true, true),
    /** A {@code MultiMap}: the value is added to the values under the statement's key. */
    MULTI_MAP(true, false),
    /** A JCache {@code ICache}: the value is put under the statement's key, replacing the previous one; may expire. */
    ICACHE(true, true);

    private final boolean keyed;
    private final boolean expiring;

    StoreAs(boolean keyed, boolean expiring) {
        this.keyed = keyed;
        this.expiring = expiring;
    }

    /** Whether the structure stores values under a key, so that a {@code PK} means something. */
    public boolean keyed() {
        return keyed;
    }

    /** Whether entries of the structure can expire one by one, so that a {@code TTL} means something. */
    public boolean expiring() {
        return expiring;
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
