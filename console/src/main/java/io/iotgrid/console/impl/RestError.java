package io.iotgrid.console.impl;

/**
 * A request the API refuses, answered with its status and Kafka Connect's error body
 * {@code {"error_code": status, "message": message}}; the message says what was wrong, never with a stack trace.
 */
public final class RestError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public RestError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
