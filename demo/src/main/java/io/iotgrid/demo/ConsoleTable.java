package io.iotgrid.demo;

import com.hazelcast.core.HazelcastInstance;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.SensorState;
import io.iotgrid.core.SensorStatus;
import io.iotgrid.core.Statistic;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.AggregationSettings;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Prints the per-place aggregates the job keeps in the grid, as a person watching the demo wants them. */
final class ConsoleTable {

    private static final int READINGS_COLUMN = 3;
    private static final int REASON_WIDTH = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final HazelcastInstance hz;
    private final AggregationSettings settings;
    private final LongSupplier alerts;
    private final Supplier<ThresholdAlert> latestAlert;

    ConsoleTable(HazelcastInstance hz, AggregationSettings settings, LongSupplier alerts,
                 Supplier<ThresholdAlert> latestAlert) {
        this.hz = hz;
        this.settings = settings;
        this.alerts = alerts;
        this.latestAlert = latestAlert;
    }

    void print(PrintStream out) {
        List<Row> places = places();
        String ringbuffer = settings.readingsRingbuffer();
        String readings = ringbuffer == null ? "not kept"
                : String.valueOf(hz.getRingbuffer(ringbuffer).tailSequence() + 1);
        Collection<DeadLetter> deadLetters = hz.<Object, DeadLetter>getMap(settings.deadLettersMap()).values();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "%niot-grid %s  readings %s  alerts %d  dead letters %d  (per measure: %s)%n",
                TIME.format(Instant.now()), readings, alerts.getAsLong(), deadLetters.size(), legend()));
        ThresholdAlert alert = latestAlert.get();
        if (alert != null) {
            sb.append(String.format(Locale.ROOT, "latest alert: %s in %s at %s, %s%n", alert.sensorId(),
                    alert.placeId(), TIME.format(Instant.ofEpochMilli(alert.timestamp())), what(alert)));
        }
        if (settings.liveness()) {
            String quiet = notOnline();
            if (!quiet.isEmpty()) {
                sb.append(quiet).append(System.lineSeparator());
            }
        }
        deadLetters.stream().max(Comparator.comparingLong(DeadLetter::receivedAt)).ifPresent(d -> sb.append(
                String.format("latest dead letter: from %s at %s: %s%n", d.source(),
                        TIME.format(Instant.ofEpochMilli(d.receivedAt())), shorten(d.reason()))));
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("place", "window", "state", "readings"));
        for (Measure m : Measure.values()) {
            header.add(m.key());
        }
        if (settings.liveness()) {
            header.add("silent");
        }
        rows.add(header);
        for (Row r : places) {
            WindowStats w = r.stats();
            List<String> row = new ArrayList<>(List.of(w.id(),
                    TIME.format(Instant.ofEpochMilli(w.windowStart())) + "-"
                            + TIME.format(Instant.ofEpochMilli(w.windowEnd())),
                    r.state(), Long.toString(w.count())));
            for (Measure m : Measure.values()) {
                row.add(cell(w.stats(m)));
            }
            if (settings.liveness()) {
                // Only the place stats map counts them; a closed window's row has none.
                row.add(w.silentSensors() == null ? "" : w.silentSensors().toString());
            }
            rows.add(row);
        }
        append(sb, rows);
        if (places.isEmpty()) {
            sb.append("(no window yet: the first early results appear a few seconds after readings arrive)")
              .append(System.lineSeparator());
        }
        out.print(sb);
        out.flush();
    }

    /** What the alert says after its sensor, place and time, in the words of its kind. */
    private static String what(ThresholdAlert alert) {
        return switch (alert.kind()) {
            case THRESHOLD -> String.format(Locale.ROOT, "%s %.1f broke %s", alert.measure(), alert.value(),
                    alert.rule());
            case STATUS -> String.format(Locale.ROOT, "%s after %.0f s without a reading", alert.rule(),
                    alert.value());
            case ANOMALY -> "anomaly " + alert.rule();
        };
    }

    /**
     * Each place's last closed window ({@code closed}, its final result) and, below it, the window filling up
     * ({@code early}) or a final result not yet in the closed map ({@code final}); a window shown as closed is not
     * shown again.
     */
    private List<Row> places() {
        Map<String, WindowStats> closed = new HashMap<>(hz.getMap(GridNames.closed(settings.placeStatsMap())));
        Collection<WindowStats> live = hz.<String, WindowStats>getMap(settings.placeStatsMap()).values();
        List<Row> rows = new ArrayList<>();
        closed.values().forEach(w -> rows.add(new Row(w, "closed")));
        live.stream()
            .filter(w -> w.early() || !closed.containsKey(w.id()) || closed.get(w.id()).windowStart() < w.windowStart())
            .forEach(w -> rows.add(new Row(w, w.early() ? "early" : "final")));
        rows.sort(Comparator.comparing((Row r) -> r.stats().id()).thenComparingLong(r -> r.stats().windowStart()));
        return rows;
    }

    /** A line of the table: a window and what it is. */
    private record Row(WindowStats stats, String state) {
    }

    /**
     * The sensors the job's liveness tracking holds SILENT or OFFLINE, e.g. {@code silent: s-12  offline: s-3}, or
     * nothing when every sensor reports.
     */
    private String notOnline() {
        Collection<SensorStatus> statuses = hz.<String, SensorStatus>getMap(settings.sensorStatusMap()).values();
        StringJoiner line = new StringJoiner("  ");
        for (SensorState state : List.of(SensorState.SILENT, SensorState.OFFLINE)) {
            String ids = statuses.stream().filter(s -> s.state() == state).map(SensorStatus::sensorId)
                                 .sorted(Comparator.comparingInt(String::length).thenComparing(id -> id))
                                 .collect(Collectors.joining(", "));
            if (!ids.isEmpty()) {
                line.add(state.name().toLowerCase(Locale.ROOT) + ": " + ids);
            }
        }
        return line.toString();
    }

    /** The reason on one line of the console: a parser's message can quote a long payload. */
    private static String shorten(String reason) {
        String line = reason.replaceAll("\\s+", " ");
        return line.length() <= REASON_WIDTH ? line : line.substring(0, REASON_WIDTH - 3) + "...";
    }

    /** What a measure's cell shows: the average, then every other statistic but the count, in parentheses. */
    private static String legend() {
        StringJoiner others = new StringJoiner(" ", " (", ")");
        for (Statistic s : Statistic.values()) {
            if (s != Statistic.COUNT && s != Statistic.AVG) {
                others.add(s.name().toLowerCase(Locale.ROOT));
            }
        }
        return "avg" + others;
    }

    private static String cell(MeasureStats stats) {
        if (stats.count() == 0) {
            return "-";
        }
        StringJoiner others = new StringJoiner(" ", " (", ")");
        for (Statistic s : Statistic.values()) {
            if (s != Statistic.COUNT && s != Statistic.AVG) {
                others.add(String.format(Locale.ROOT, "%.1f", (Double) stats.value(s)));
            }
        }
        return String.format(Locale.ROOT, "%.1f", stats.avg()) + others;
    }

    /** Appends the rows with each column as wide as its widest cell; text left-aligned, the readings right. */
    private static void append(StringBuilder sb, List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(String.format(i == READINGS_COLUMN ? "%" + widths[i] + "s  " : "%-" + widths[i] + "s  ",
                        row.get(i)));
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
    }
}
