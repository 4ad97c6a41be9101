package io.iotgrid.demo;

import com.hazelcast.core.HazelcastInstance;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.AggregationSettings;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/** Prints the per-place aggregates the job keeps in the grid, as a person watching the demo wants them. */
final class ConsoleTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final HazelcastInstance hz;
    private final AggregationSettings settings;
    private final LongSupplier alerts;

    ConsoleTable(HazelcastInstance hz, AggregationSettings settings, LongSupplier alerts) {
        this.hz = hz;
        this.settings = settings;
        this.alerts = alerts;
    }

    void print(PrintStream out) {
        List<WindowStats> places = new ArrayList<>(hz.<String, WindowStats>getMap(settings.placeStatsMap()).values());
        places.sort(Comparator.comparing(WindowStats::id));
        long readings = hz.getRingbuffer(settings.readingsRingbuffer()).tailSequence() + 1;
        int deadLetters = hz.getMap(settings.deadLettersMap()).size();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%niot-grid %s  readings %d  alerts %d  dead letters %d%n",
                TIME.format(Instant.now()), readings, alerts.getAsLong(), deadLetters));
        sb.append(String.format(Locale.ROOT, "%-8s %-19s %-5s %8s  %-28s %9s %9s %10s%n", "place", "window", "state",
                "readings", "temperature avg (min..max)", "humidity", "pressure", "luminosity"));
        if (places.isEmpty()) {
            sb.append("(no window yet: the first early results appear a few seconds after readings arrive)")
              .append(System.lineSeparator());
        }
        for (WindowStats w : places) {
            MeasureStats t = w.stats(Measure.TEMPERATURE);
            String temperature = t.count() == 0 ? "-"
                    : String.format(Locale.ROOT, "%.1f (%.1f..%.1f)", t.avg(), t.min(), t.max());
            sb.append(String.format(Locale.ROOT, "%-8s %-19s %-5s %8d  %-28s %9s %9s %10s%n", w.id(),
                    TIME.format(Instant.ofEpochMilli(w.windowStart())) + "-"
                            + TIME.format(Instant.ofEpochMilli(w.windowEnd())),
                    w.early() ? "early" : "final", w.count(), temperature,
                    avg(w, Measure.HUMIDITY), avg(w, Measure.PRESSURE), avg(w, Measure.LUMINOSITY)));
        }
        out.print(sb);
        out.flush();
    }

    private static String avg(WindowStats w, Measure m) {
        MeasureStats s = w.stats(m);
        return s.count() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", s.avg());
    }
}
