package io.iotgrid.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertRuleTest {

    private static SensorReading reading(double temperature, double humidity) {
        return new SensorReading("s-1", "p-1", 1000, temperature, humidity, Double.NaN, Double.NaN);
    }

    @Test
    void when_valueCrossesLimit_then_alert() {
        AlertRule hot = AlertRule.parse(" temperature > 30 ");

        assertThat(hot.check(reading(30.5, 1)))
                .isEqualTo(new ThresholdAlert("s-1", "p-1", 1000, "temperature", 30.5, "temperature>30.0"));
        assertThat(hot.check(reading(30, 1))).isNull();
    }

    @Test
    void when_belowRule_then_alertOnlyBelow() {
        AlertRule dry = AlertRule.parse("humidity<15");

        assertThat(dry.check(reading(20, 14.9))).isNotNull();
        assertThat(dry.check(reading(20, 15))).isNull();
        assertThat(dry.check(reading(20, Double.NaN))).as("absent measure").isNull();
    }

    @Test
    void when_ruleMalformed_then_clearMessage() {
        assertThatThrownBy(() -> AlertRule.parse("temperature=3"))
                .hasMessageContaining("alert rule 'temperature=3' must look like temperature>30 or humidity<15");
        assertThatThrownBy(() -> AlertRule.parse("temperature><3"))
                .hasMessageContaining("must look like");
        assertThatThrownBy(() -> AlertRule.parse("heat>3"))
                .hasMessageContaining("unknown measure 'heat'");
        assertThatThrownBy(() -> AlertRule.parse("temperature>warm"))
                .hasMessageContaining("has no number after '>': 'warm'");
    }
}
