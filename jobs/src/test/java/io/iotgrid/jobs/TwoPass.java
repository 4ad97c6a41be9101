package io.iotgrid.jobs;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;

/** The reference the tests check standard deviations against, computed independently of the accumulator. */
final class TwoPass {

    private TwoPass() {
    }

    private static final MathContext MC = new MathContext(40);

    /**
     * Population standard deviation of {@code values} in two passes (mean, then squared deviations from it),
     * to 40 digits, the square root included, so that values near {@link Double#MAX_VALUE} have one.
     */
    static double stddev(double... values) {
        BigDecimal mean = exactMean(values);
        BigDecimal squares = BigDecimal.ZERO;
        for (double v : values) {
            BigDecimal d = new BigDecimal(v).subtract(mean);
            squares = squares.add(d.multiply(d));
        }
        return squares.divide(BigDecimal.valueOf(values.length), MC).sqrt(MC).doubleValue();
    }

    /** The mean of {@code values}, to 40 digits before rounding to a double. */
    static double mean(double... values) {
        return exactMean(values).doubleValue();
    }

    private static BigDecimal exactMean(double... values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(new BigDecimal(v));
        }
        return sum.divide(BigDecimal.valueOf(values.length), MC);
    }

    static double stddev(Collection<? extends Number> values) {
        return stddev(values.stream().mapToDouble(Number::doubleValue).toArray());
    }
}
