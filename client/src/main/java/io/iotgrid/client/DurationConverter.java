package io.iotgrid.client;

import io.iotgrid.core.Durations;
import picocli.CommandLine.ITypeConverter;

import java.time.Duration;

/** Durations on the command line as everywhere in iot-grid: {@code 500ms}, {@code 30s}, {@code 5m}, {@code PT1H}. */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return Durations.parse("duration", value);
    }
}
