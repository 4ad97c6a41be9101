package io.iotgrid.jobs.impl;

import io.iotgrid.core.Measure;
import io.iotgrid.core.SensorReading;
import io.iotgrid.jobs.AggregationSettings.Duplicates;

import java.util.Arrays;

/**
 * The readings of one sensor in one open window that the duplicate check remembers, as plain {@code long}s: each
 * reading's {@link #identity}, the timestamp and with {@link Duplicates#VALUES} the bits of each measure's value
 * ({@link Double#doubleToLongBits}, so an absent measure, NaN, equals NaN, as {@link Double#compare} has it). An
 * open-addressing index over an append-only array: about 16 bytes per remembered timestamp and 48 per remembered
 * reading with its values, where a {@code HashSet} of boxed values took over 100 (BENCHMARKS.md 12), and no
 * allocation per reading: the caller reuses one identity array.
 */
final class ReadingSet {

    private static final Measure[] MEASURES = Measure.values();
    /** Most sensors send one reading per window or a few: room for one to start with, doubled as needed. */
    private static final int FIRST_CAPACITY = 1;

    private final int width;
    /** The entries, {@code width} longs each, in the order they were added. */
    private long[] entries;
    /** Entry number + 1 per slot, 0 for none; a power of two at least twice {@link #size}. */
    private int[] index;
    private int size;

    /** An empty set of readings compared as {@code duplicates} says; not for {@link Duplicates#OFF}. */
    ReadingSet(Duplicates duplicates) {
        this.width = width(duplicates);
        this.entries = new long[FIRST_CAPACITY * width];
        this.index = new int[2 * FIRST_CAPACITY];
    }

    /** How many {@code long}s identify a reading compared as {@code duplicates} says. */
    static int width(Duplicates duplicates) {
        return duplicates == Duplicates.VALUES ? 1 + MEASURES.length : 1;
    }

    /** Writes what identifies {@code r} into {@code into}, an array of {@link #width} longs. */
    static void identity(SensorReading r, long[] into) {
        into[0] = r.timestamp();
        for (int i = 1; i < into.length; i++) {
            into[i] = Double.doubleToLongBits(r.value(MEASURES[i - 1]));
        }
    }

    int size() {
        return size;
    }

    /** Whether the reading of {@code identity} is new here, adding it if so. */
    boolean add(long[] identity) {
        return insert(identity, 0);
    }

    /** Whether the reading of {@code identity} is here. */
    boolean contains(long[] identity) {
        return index[find(identity, 0)] != 0;
    }

    /** The entries as one array, for a snapshot: what {@link #addAll} takes. */
    long[] toLongs() {
        return Arrays.copyOf(entries, size * width);
    }

    /** Adds the entries {@link #toLongs} gave. */
    void addAll(long[] longs) {
        for (int at = 0; at + width <= longs.length; at += width) {
            insert(longs, at);
        }
    }

    /** Adds the entry at {@code longs[at, at + width)} unless it is here; whether it was new. */
    private boolean insert(long[] longs, int at) {
        int slot = find(longs, at);
        if (index[slot] != 0) {
            return false;
        }
        if (2 * (size + 1) > index.length) {
            grow();
            slot = find(longs, at);
        }
        if ((size + 1) * width > entries.length) {
            entries = Arrays.copyOf(entries, 2 * entries.length);
        }
        System.arraycopy(longs, at, entries, size * width, width);
        index[slot] = ++size;
        return true;
    }

    /** The slot of the entry at {@code longs[at, at + width)}: where it is, or the empty slot it would take. */
    private int find(long[] longs, int at) {
        int mask = index.length - 1;
        for (int slot = hash(longs, at) & mask; ; slot = (slot + 1) & mask) {
            int e = index[slot];
            if (e == 0 || Arrays.equals(entries, (e - 1) * width, e * width, longs, at, at + width)) {
                return slot;
            }
        }
    }

    private void grow() {
        int[] grown = new int[2 * index.length];
        int mask = grown.length - 1;
        for (int e = 0; e < size; e++) {
            int slot = hash(entries, e * width) & mask;
            while (grown[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            grown[slot] = e + 1;
        }
        index = grown;
    }

    private int hash(long[] longs, int at) {
        long h = 0;
        for (int i = at; i < at + width; i++) {
            h = (h ^ longs[i]) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }
}
