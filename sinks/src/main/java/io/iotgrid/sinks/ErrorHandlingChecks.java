package io.iotgrid.sinks;

import java.time.Duration;

/** Validation of the error-handling settings every sink shares, so that they fail with the same messages. */
final class ErrorHandlingChecks {

    private ErrorHandlingChecks() {
    }

    static void check(ErrorPolicy errorPolicy, int maxRetries, Duration retryInterval, String deadLettersMap) {
        if (errorPolicy == null) {
            throw new IllegalArgumentException("errorPolicy must not be null");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be at least 0, was " + maxRetries);
        }
        if (retryInterval == null || retryInterval.toMillis() < 1) {
            throw new IllegalArgumentException("retryInterval must be at least 1 ms, was " + retryInterval);
        }
        if (deadLettersMap == null || deadLettersMap.isBlank()) {
            throw new IllegalArgumentException("deadLettersMap must be a structure name, was '" + deadLettersMap
                    + "'");
        }
    }
}
