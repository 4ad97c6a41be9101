package io.iotgrid.console.impl;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.core.metrics.JobMetrics;
import com.hazelcast.jet.core.metrics.Measurement;
import com.hazelcast.jet.core.metrics.MetricTags;
import com.hazelcast.sql.HazelcastSqlException;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import io.iotgrid.core.HistoryTier;
import io.iotgrid.core.Measure;
import io.iotgrid.core.Statistic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the page reads besides the live events: jobs with their metrics, members, and history through SQL. */
final class GridApi {

    /** Jobs listed: the newest first; ended ones stay in Jet's history for a while. */
    private static final int JOBS_SHOWN = 30;
    /** Statistics charted per measure. */
    private static final List<Statistic> CHARTED = List.of(Statistic.AVG, Statistic.MIN, Statistic.MAX);

    private final HazelcastInstance hz;
    private final String placeStatsMap;
    private final String sensorStatsMap;

    GridApi(HazelcastInstance hz, String placeStatsMap, String sensorStatsMap) {
        this.hz = hz;
        this.placeStatsMap = placeStatsMap;
        this.sensorStatsMap = sensorStatsMap;
    }

    /**
     * Each job's name, id, status, submission time and its counters: every user metric (readings received, dead
     * letters, drops, reconnects, ...) summed over processors and members, with the items the sources emitted.
     * Light jobs are left out: they are mostly SQL queries (the console's own history charts among them), which
     * would push the streaming jobs off the list, and Jet keeps no metrics for them.
     */
    List<Map<String, Object>> jobs() {
        List<Job> jobs = new ArrayList<>();
        for (Job job : hz.getJet().getJobs()) {
            if (!job.isLightJob()) {
                jobs.add(job);
            }
        }
        jobs.sort(Comparator.comparingLong(Job::getSubmissionTime).reversed());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Job job : jobs.subList(0, Math.min(JOBS_SHOWN, jobs.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            JobStatus status = job.getStatus();
            m.put("name", job.getName());
            m.put("id", job.getIdString());
            m.put("status", status.name());
            m.put("submitted", job.getSubmissionTime());
            m.put("metrics", status == JobStatus.RUNNING ? metrics(job.getMetrics()) : Map.of());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Long> metrics(JobMetrics metrics) {
        Map<String, Long> sums = new TreeMap<>();
        for (String name : metrics.metrics()) {
            for (Measurement m : metrics.get(name)) {
                boolean user = "true".equals(m.tag(MetricTags.USER));
                boolean sourceOut = name.equals("emittedCount") && "true".equals(m.tag(MetricTags.SOURCE));
                if (user || sourceOut) {
                    sums.merge(sourceOut ? "sourceEmitted" : name, m.value(), Long::sum);
                }
            }
        }
        return sums;
    }

    List<Map<String, Object>> members() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Member member : hz.getCluster().getMembers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", member.getAddress().getHost() + ':' + member.getAddress().getPort());
            m.put("uuid", member.getUuid().toString());
            m.put("version", member.getVersion().toString());
            m.put("lite", member.isLiteMember());
            out.add(m);
        }
        return out;
    }

    /**
     * A place's or sensor's windows of one history tier since {@code from} (epoch ms), through SQL on the history
     * table: {@code columns} and {@code rows}, the window start first.
     */
    Map<String, Object> history(String kind, String id, String tierLabel, long from) {
        String statsMap = switch (kind == null ? "" : kind) {
            case "place" -> placeStatsMap;
            case "sensor" -> sensorStatsMap;
            default -> throw new RestError(400, "kind is place or sensor, was '" + kind + "'");
        };
        if (id == null || id.isBlank()) {
            throw new RestError(400, "id is required: the place or sensor");
        }
        HistoryTier tier;
        try {
            tier = HistoryTier.of(tierLabel == null ? "window" : tierLabel);
        } catch (IllegalArgumentException e) {
            throw new RestError(400, e.getMessage());
        }
        List<String> columns = new ArrayList<>(List.of("window_start", "readings"));
        for (Measure m : Measure.values()) {
            for (Statistic s : CHARTED) {
                columns.add(s.column(m));
            }
        }
        String table = tier.mapName(statsMap);
        List<List<Object>> rows = new ArrayList<>();
        try (SqlResult result = hz.getSql().execute("SELECT " + String.join(", ", columns) + " FROM \"" + table
                + "\" WHERE id = ? AND window_start >= ? ORDER BY window_start", id, from)) {
            for (SqlRow row : result) {
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    values.add(row.getObject(i));
                }
                rows.add(values);
            }
        } catch (HazelcastSqlException e) {
            throw new RestError(404, "no history table " + table + " to read: " + e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("table", table);
        out.put("columns", columns);
        out.put("rows", rows);
        return out;
    }
}
