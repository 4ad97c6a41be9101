package io.iotgrid.client;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.DateTimeException;
import java.time.ZoneId;

/** Time zones by region or offset: {@code UTC}, {@code Europe/Berlin}, {@code +02:00}. */
final class ZoneConverter implements ITypeConverter<ZoneId> {

    @Override
    public ZoneId convert(String value) {
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new TypeConversionException("'" + value + "' is not a time zone such as UTC, Europe/Berlin or "
                    + "+02:00");
        }
    }
}
