package io.iotgrid.bench;

import java.nio.charset.StandardCharsets;

/**
 * The readings every benchmark uses, so their figures compare: {@code sensors} sensors spread over {@code places}
 * places and {@code partitions} Kafka partitions, in the {@link io.iotgrid.core.ReadingFormat#nested()} JSON the
 * simulators send. Sensor {@code i} is {@code s-i}, in place {@code p-(i % places)} and partition
 * {@code i % partitions}. Partition {@code p}'s {@code n}-th reading is from its {@code (n % perPartition)}-th
 * sensor and stamped {@code startMillis + n}: event times one millisecond apart per partition, every sensor of the
 * partition in turn. Values follow from sensor and {@code n} alone, so any run can recompute what it should find.
 *
 * @param sensors     number of sensors, a multiple of {@code partitions}
 * @param places      number of places
 * @param partitions  number of partitions
 * @param startMillis event time of each partition's first reading
 */
public record BenchReadings(int sensors, int places, int partitions, long startMillis) {

    public BenchReadings {
        if (sensors <= 0 || places <= 0 || partitions <= 0) {
            throw new IllegalArgumentException("sensors, places and partitions must be positive, were " + sensors
                    + ", " + places + ", " + partitions);
        }
        if (sensors % partitions != 0) {
            throw new IllegalArgumentException("sensors (" + sensors + ") must be a multiple of partitions ("
                    + partitions + ")");
        }
    }

    /** Sensors of one partition. */
    public int perPartition() {
        return sensors / partitions;
    }

    /** Index of the sensor of partition {@code partition}'s {@code n}-th reading. */
    public int sensorOf(int partition, long n) {
        return partition + partitions * (int) (n % perPartition());
    }

    /** Event time of a partition's {@code n}-th reading. */
    public long timestampOf(long n) {
        return startMillis + n;
    }

    /** The id of sensor {@code sensor}. */
    public static String sensorId(int sensor) {
        return "s-" + sensor;
    }

    /** The place of sensor {@code sensor}. */
    public String placeId(int sensor) {
        return "p-" + sensor % places;
    }

    /** Temperature of a partition's {@code n}-th reading, sensor {@code sensor}: 15.0 to 24.9 in tenths. */
    public static double temperature(int sensor, long n) {
        return 15 + ((sensor * 7L + n) % 100) / 10.0;
    }

    /** Humidity, 30 to 69 %. */
    public static double humidity(int sensor, long n) {
        return 30 + (sensor + n) % 40;
    }

    /** Pressure, 990 to 1029 hPa. */
    public static double pressure(int sensor, long n) {
        return 990 + (sensor * 3L + n) % 40;
    }

    /** Luminosity, 0 to 999 lx. */
    public static double luminosity(int sensor, long n) {
        return (sensor * 13L + n) % 1000;
    }

    /** Partition {@code partition}'s {@code n}-th reading as JSON bytes. */
    public byte[] json(int partition, long n) {
        int sensor = sensorOf(partition, n);
        return json(sensorId(sensor), placeId(sensor), timestampOf(n), temperature(sensor, n), humidity(sensor, n),
                pressure(sensor, n), luminosity(sensor, n));
    }

    /** One reading as the nested JSON the simulators send. */
    public static byte[] json(String sensorId, String placeId, long timestamp, double temperature, double humidity,
                              double pressure, double luminosity) {
        return ("{\"id\":\"" + sensorId + "\",\"place_id\":\"" + placeId + "\",\"timestamp\":" + timestamp
                + ",\"payload\":{\"temperature\":" + temperature + ",\"humidity\":" + humidity
                + ",\"pressure\":" + pressure + ",\"luminosity\":" + luminosity + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
