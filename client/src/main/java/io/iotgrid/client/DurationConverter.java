package io.iotgrid.client;

import io.iotgrid.core.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/**
 * Durations on the command line as everywhere in iot-grid: {@code 500ms}, {@code 30s}, {@code 5m}, {@code PT1H};
 * every duration option of the client is a time to wait, so it must be more than 0.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration d;
        try {
            d = Durations.parse("the value", value);
        } catch (IllegalArgumentException e) {
            // picocli puts "Invalid value for option '--name': " before the message.
            throw new TypeConversionException(e.getMessage());
        }
        if (d.isNegative() || d.isZero()) {
            throw new TypeConversionException("the value must be more than 0, was '" + value + "'");
        }
        return d;
    }
}
