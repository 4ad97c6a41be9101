package io.iotgrid.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MeasureTest {

    @Test
    void when_formatted_then_roundedHalfUpToTheMeasuresDecimals() {
        assertThat(Measure.TEMPERATURE.format(23.088666666666672)).isEqualTo("23.09");
        assertThat(Measure.TEMPERATURE.format(30)).isEqualTo("30.00");
        assertThat(Measure.HUMIDITY.format(40.25)).isEqualTo("40.3");
        assertThat(Measure.PRESSURE.format(1013)).isEqualTo("1013.0");
        assertThat(Measure.LUMINOSITY.format(299.5)).isEqualTo("300");
        assertThat(Measure.TEMPERATURE.format(-0.005)).isEqualTo("-0.01");
    }

    @Test
    void when_notFinite_then_printedAsJavaDoes() {
        assertThat(Measure.TEMPERATURE.format(Double.NaN)).isEqualTo("NaN");
    }
}
