package io.iotgrid.sources.impl;

import java.util.concurrent.atomic.AtomicLong;

/** The per-resource counters the source publishes as Jet metrics; updated from Californium's threads. */
public final class ResourceCounters {

    /** Metric name: notifications (and other successful answers) received. */
    public static final String NOTIFICATIONS = "coapNotifications";
    /** Metric name: observe requests sent again after the first one. */
    public static final String REOBSERVATIONS = "coapReobservations";
    /** Metric name: error answers, failed or unanswered requests, and relations gone silent. */
    public static final String ERRORS = "coapErrors";
    /** Metric name: notifications dropped because the source's queue was full. */
    public static final String DROPPED = "coapDropped";
    /**
     * Metric name: Observe numbers skipped between consecutive notifications of one relation (changes a server merges
     * before numbering them leave no gap).
     */
    public static final String SEQUENCE_GAPS = "coapSequenceGaps";

    final AtomicLong notifications = new AtomicLong();
    final AtomicLong reobservations = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong sequenceGaps = new AtomicLong();

    public long notifications() {
        return notifications.get();
    }

    public long reobservations() {
        return reobservations.get();
    }

    public long errors() {
        return errors.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long sequenceGaps() {
        return sequenceGaps.get();
    }
}
