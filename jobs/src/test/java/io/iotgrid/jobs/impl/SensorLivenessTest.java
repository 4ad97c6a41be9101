package io.iotgrid.jobs.impl;

import io.iotgrid.core.AlertKind;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.SensorState;
import io.iotgrid.core.SensorStatus;
import io.iotgrid.core.ThresholdAlert;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The liveness and anomaly rules of one sensor, each at its bound, on an explicit wall clock. */
class SensorLivenessTest {

    /** Silent after 3 intervals or 1 s, offline after 5 s, status refreshed every 2 s; anomalies off. */
    private static final LivenessRules LIVENESS = new LivenessRules(3, 1000, 5000, 2000, 0, 0, 2, 60_000);

    private final List<Object> out = new ArrayList<>();

    @Test
    void when_quietForItsBounds_then_silentThenOfflineEachOnce() {
        SensorLiveness s = reporting(100, 10);   // last reading seen at wall 900, interval 100: silent after 1 s
        out.clear();

        s.check(900 + 999, LIVENESS, out::add);
        assertThat(out).isEmpty();
        s.check(900 + 1000, LIVENESS, out::add);
        assertThat(statusAlerts()).containsExactly("ONLINE->SILENT");
        assertThat(statuses()).extracting(SensorStatus::state).containsExactly(SensorState.SILENT);
        out.clear();

        s.check(900 + 4999, LIVENESS, out::add);
        assertThat(out).isEmpty();
        s.check(900 + 5000, LIVENESS, out::add);
        s.check(900 + 9000, LIVENESS, out::add);
        assertThat(statusAlerts()).containsExactly("SILENT->OFFLINE");
        assertThat(s.state()).isEqualTo(SensorState.OFFLINE);
    }

    @Test
    void when_usualIntervalIsLong_then_silentAfterItsMultipleNotTheFloor() {
        SensorLiveness s = reporting(1000, 10);  // last seen at wall 9000, interval 1 s: silent after 3 s
        out.clear();

        s.check(9000 + 2999, LIVENESS, out::add);
        assertThat(out).isEmpty();
        s.check(9000 + 3000, LIVENESS, out::add);
        assertThat(statusAlerts()).containsExactly("ONLINE->SILENT");
        assertThat(statuses()).extracting(SensorStatus::silentAfterMs).containsExactly(3000L);
    }

    @Test
    void when_checkedOnlyAfterTheOfflineBound_then_oneChangeStraightToOffline() {
        SensorLiveness s = reporting(100, 10);
        out.clear();

        s.check(900 + 5000, LIVENESS, out::add);

        assertThat(statusAlerts()).containsExactly("ONLINE->OFFLINE");
    }

    @Test
    void when_readingAfterSilence_then_onlineAgainWithTheSilenceAndTheGapNotLearned() {
        SensorLiveness s = reporting(100, 10);
        s.check(900 + 6000, LIVENESS, out::add);
        out.clear();

        s.onReading(reading(60_000, 20), 900 + 7500, LIVENESS, out::add);

        List<ThresholdAlert> alerts = alerts(AlertKind.STATUS);
        assertThat(alerts).extracting(ThresholdAlert::rule).containsExactly("OFFLINE->ONLINE");
        assertThat(alerts.get(0).value()).isEqualTo(7.5);
        assertThat(alerts.get(0).timestamp()).isEqualTo(60_000);
        assertThat(statuses()).singleElement().satisfies(st -> {
            assertThat(st.state()).isEqualTo(SensorState.ONLINE);
            assertThat(st.intervalMs()).isEqualTo(100);
            assertThat(st.lastSeenAt()).isEqualTo(900 + 7500);
        });
    }

    @Test
    void when_reporting_then_statusRewrittenOncePerRefreshOnly() {
        SensorLiveness s = reporting(100, 10);   // first written at wall 0
        assertThat(statuses()).hasSize(1);
        out.clear();

        s.onReading(reading(1999, 20), 1999, LIVENESS, out::add);
        assertThat(out).isEmpty();
        s.onReading(reading(2000, 20), 2000, LIVENESS, out::add);
        assertThat(statuses()).extracting(SensorStatus::lastEventAt).containsExactly(2000L);
    }

    @Test
    void when_restoredWhileOnline_then_silenceCountsFromTheRestore() {
        SensorLiveness online = reporting(100, 10);
        online.restored(900 + 60_000);
        out.clear();

        online.check(900 + 60_999, LIVENESS, out::add);
        assertThat(out).isEmpty();
        online.check(900 + 61_000, LIVENESS, out::add);
        assertThat(statusAlerts()).containsExactly("ONLINE->SILENT");
    }

    @Test
    void when_restoredWhileSilent_then_itsSilenceGoesOn() {
        SensorLiveness s = reporting(100, 10);
        s.check(900 + 1000, LIVENESS, out::add);
        s.restored(900 + 4000);
        out.clear();

        s.check(900 + 4000, LIVENESS, out::add);
        assertThat(out).isEmpty();
        s.check(900 + 5000, LIVENESS, out::add);
        assertThat(statusAlerts()).containsExactly("SILENT->OFFLINE");
    }

    @Test
    void when_sameValueInARow_then_anomalyAtTheNthReadingOnlyAndAgainAfterAChange() {
        LivenessRules stuck = new LivenessRules(3, 1000, 5000, 2000, 3, 0, 2, 60_000);
        double[] values = {21.5, 21.5, 21.5, 21.5, 22.0, 21.5, 21.5, 21.5};
        SensorLiveness s = null;
        List<Integer> alertedAt = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.clear();
            SensorReading r = reading(i * 100L, values[i]);
            if (s == null) {
                s = SensorLiveness.first(r, 0, stuck, out::add);
            } else {
                s.onReading(r, i * 100L, stuck, out::add);
            }
            if (!alerts(AlertKind.ANOMALY).isEmpty()) {
                alertedAt.add(i);
                assertThat(alerts(AlertKind.ANOMALY)).singleElement().satisfies(a -> {
                    assertThat(a.measure()).isEqualTo("temperature");
                    assertThat(a.value()).isEqualTo(21.5);
                    assertThat(a.rule()).isEqualTo("stuck: temperature=21.50 in 3 readings in a row");
                });
            }
        }
        assertThat(alertedAt).containsExactly(2, 7);
    }

    @Test
    void when_readingExactlyAtTheDeviationBound_then_noAnomaly_andJustBeyond_thenOne() {
        assertThat(deviationAlerts(13.0)).isEmpty();
        assertThat(deviationAlerts(9.0)).isEmpty();
        assertThat(deviationAlerts(13.000001)).singleElement().satisfies(a -> assertThat(a.rule())
                .isEqualTo("deviation: temperature=13.00 is 2.0 standard deviations from the recent mean 11.00 "
                        + "(limit 2.0)"));
        assertThat(deviationAlerts(8.999999)).hasSize(1);
    }

    @Test
    void when_fewerReadingsThanTheMinimum_then_noDeviationJudged() {
        // Three readings of 10, 12, 10 and an outlier: below the minimum of 4.
        LivenessRules rules = new LivenessRules(3, 1000, 5000, 2000, 0, 2.0, 4, 1000);
        SensorLiveness s = SensorLiveness.first(reading(0, 10), 0, rules, out::add);
        s.onReading(reading(10, 12), 10, rules, out::add);
        s.onReading(reading(20, 10), 20, rules, out::add);
        out.clear();

        s.onReading(reading(30, 1000), 30, rules, out::add);

        assertThat(alerts(AlertKind.ANOMALY)).isEmpty();
    }

    @Test
    void when_previousWindowHoldsTheHistory_then_judgedAgainstIt_butNotAfterAGap() {
        LivenessRules rules = new LivenessRules(3, 1000, 5000, 2000, 0, 2.0, 4, 1000);
        SensorLiveness s = baseline(rules);           // 10, 12, 10, 12 in window [0, 1000)
        out.clear();
        s.onReading(reading(1500, 20), 1500, rules, out::add);   // next window: the previous one still counts
        assertThat(alerts(AlertKind.ANOMALY)).hasSize(1);

        SensorLiveness gap = baseline(rules);
        out.clear();
        gap.onReading(reading(2500, 20), 2500, rules, out::add); // a window without readings between: no history
        assertThat(alerts(AlertKind.ANOMALY)).isEmpty();
    }

    /** Anomaly alerts of a reading of {@code value} after 10, 12, 10, 12 (mean 11, standard deviation 1), k = 2. */
    private List<ThresholdAlert> deviationAlerts(double value) {
        LivenessRules rules = new LivenessRules(3, 1000, 5000, 2000, 0, 2.0, 4, 60_000);
        SensorLiveness s = baseline(rules);
        out.clear();
        s.onReading(reading(40, value), 40, rules, out::add);
        return alerts(AlertKind.ANOMALY);
    }

    private SensorLiveness baseline(LivenessRules rules) {
        SensorLiveness s = SensorLiveness.first(reading(0, 10), 0, rules, out::add);
        s.onReading(reading(10, 12), 10, rules, out::add);
        s.onReading(reading(20, 10), 20, rules, out::add);
        s.onReading(reading(30, 12), 30, rules, out::add);
        return s;
    }

    /** A sensor that sent {@code count} readings {@code interval} ms apart, each seen at its event time on the wall. */
    private SensorLiveness reporting(long interval, int count) {
        SensorLiveness s = SensorLiveness.first(reading(0, 20), 0, LIVENESS, out::add);
        for (int i = 1; i < count; i++) {
            s.onReading(reading(i * interval, 20 + i), i * interval, LIVENESS, out::add);
        }
        return s;
    }

    private static SensorReading reading(long timestamp, double temperature) {
        return new SensorReading("s-1", "p-1", timestamp, temperature, Double.NaN, Double.NaN, Double.NaN);
    }

    private List<String> statusAlerts() {
        return alerts(AlertKind.STATUS).stream().map(ThresholdAlert::rule).toList();
    }

    private List<ThresholdAlert> alerts(AlertKind kind) {
        return out.stream().filter(o -> o instanceof ThresholdAlert a && a.kind() == kind)
                  .map(ThresholdAlert.class::cast).toList();
    }

    private List<SensorStatus> statuses() {
        return out.stream().filter(SensorStatus.class::isInstance).map(SensorStatus.class::cast).toList();
    }
}
