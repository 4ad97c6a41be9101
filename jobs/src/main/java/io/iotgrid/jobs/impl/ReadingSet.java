package io.iotgrid.jobs.impl;

import io.iotgrid.core.Measure;
import io.iotgrid.core.SensorReading;
import io.iotgrid.jobs.AggregationSettings.Duplicates;

import java.util.Arrays;

/**
 * The readings of one sensor in one open window that the duplicate check remembers, as plain {@code long}s: the
 * timestamp, and with {@link Duplicates#VALUES} the bits of each measure's value ({@link Double#doubleToLongBits},
 * so an absent measure, NaN, equals NaN, as {@link Double#compare} has it). An open-addressing index over an
 * append-only array: about 16 bytes per remembered timestamp and 48 per remembered reading with its values, where
 * a {@code HashSet} of boxed values took over 100 (BENCHMARKS.md 12), and no allocation per reading.
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
        this.width = duplicates == Duplicates.VALUES ? 1 + MEASURES.length : 1;
        this.entries = new long[FIRST_CAPACITY * width];
        this.index = new int[2 * FIRST_CAPACITY];
    }

    int size() {
        return size;
    }

    /** Whether {@code r} is new here, adding it if so. */
    boolean add(SensorReading r) {
        int slot = find(r);
        if (index[slot] != 0) {
            return false;
        }
        if (2 * (size + 1) > index.length) {
            grow();
            slot = find(r);
        }
        int at = size * width;
        if (at + width > entries.length) {
            entries = Arrays.copyOf(entries, 2 * entries.length);
        }
        for (int i = 0; i < width; i++) {
            entries[at + i] = part(r, i);
        }
        index[slot] = ++size;
        return true;
    }

    /** Whether {@code r} is here. */
    boolean contains(SensorReading r) {
        return index[find(r)] != 0;
    }

    /** The entries as one array, for a snapshot: what {@link #addAll} takes. */
    long[] toLongs() {
        return Arrays.copyOf(entries, size * width);
    }

    /** Adds the entries {@link #toLongs} gave. */
    void addAll(long[] longs) {
        for (int at = 0; at + width <= longs.length; at += width) {
            int slot = find(longs, at);
            if (index[slot] != 0) {
                continue;
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
        }
    }

    /** The slot of {@code r}: where its entry is, or the empty slot it would take. */
    private int find(SensorReading r) {
        long h = 0;
        for (int i = 0; i < width; i++) {
            h = mix(h, part(r, i));
        }
        int mask = index.length - 1;
        for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
            int e = index[slot];
            if (e == 0 || equal(e - 1, r)) {
                return slot;
            }
        }
    }

    private int find(long[] longs, int at) {
        long h = 0;
        for (int i = 0; i < width; i++) {
            h = mix(h, longs[at + i]);
        }
        int mask = index.length - 1;
        for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
            int e = index[slot];
            if (e == 0 || Arrays.equals(entries, (e - 1) * width, e * width, longs, at, at + width)) {
                return slot;
            }
        }
    }

    private boolean equal(int entry, SensorReading r) {
        int at = entry * width;
        for (int i = 0; i < width; i++) {
            if (entries[at + i] != part(r, i)) {
                return false;
            }
        }
        return true;
    }

    private void grow() {
        int[] grown = new int[2 * index.length];
        int mask = grown.length - 1;
        for (int e = 0; e < size; e++) {
            long h = 0;
            for (int i = 0; i < width; i++) {
                h = mix(h, entries[e * width + i]);
            }
            int slot = spread(h) & mask;
            while (grown[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            grown[slot] = e + 1;
        }
        index = grown;
    }

    private static long part(SensorReading r, int i) {
        return i == 0 ? r.timestamp() : Double.doubleToLongBits(r.value(MEASURES[i - 1]));
    }

    private static long mix(long h, long v) {
        return (h ^ v) * 0x9E3779B97F4A7C15L;
    }

    private static int spread(long h) {
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }
}
