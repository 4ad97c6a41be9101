package io.iotgrid.jobs;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;

/** The reference the tests check standard deviations against, computed independently of the accumulator. */
final class TwoPass {

    private TwoPass() {
    }

    /**
     * Population standard deviation of {@code values} in two passes (mean, then squared deviations from it),
     * exactly to 40 digits until the square root.
     */
    static double stddev(double... values) {
        MathContext mc = new MathContext(40);
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(new BigDecimal(v));
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(values.length), mc);
        BigDecimal squares = BigDecimal.ZERO;
        for (double v : values) {
            BigDecimal d = new BigDecimal(v).subtract(mean);
            squares = squares.add(d.multiply(d));
        }
        return Math.sqrt(squares.divide(BigDecimal.valueOf(values.length), mc).doubleValue());
    }

    static double stddev(Collection<? extends Number> values) {
        return stddev(values.stream().mapToDouble(Number::doubleValue).toArray());
    }
}
