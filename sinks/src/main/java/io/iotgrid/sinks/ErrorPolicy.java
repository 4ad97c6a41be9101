package io.iotgrid.sinks;

/**
 * What a sink does with a write that failed: for {@link GridSinks} a batch (e.g. a bounded IQueue is full, a
 * remote cluster is unreachable, a value cannot be serialized), for {@link CoapSinks} a request (a response that
 * is not 2.xx, no response in time, a rejected request, a failed DTLS handshake), for {@link MqttSinks} a publish
 * (an error code in PUBACK or PUBREC, a QoS 0 publish the connection lost, a session the broker ended).
 */
public enum ErrorPolicy {

    /** Fail the job with an exception that names the sink and the cause. */
    THROW,

    /**
     * Keep the job running and write every failed item as a {@link io.iotgrid.core.DeadLetter} with the reason
     * and the item's bytes to the dead-letters IMap of the cluster the job runs in
     * ({@link GridSinkSettings#deadLettersMap()}, {@link CoapSinkSettings#deadLettersMap()},
     * {@link MqttSinkSettings#deadLettersMap()}), so nothing is dropped unseen.
     */
    NOOP,

    /**
     * Send the same write again after the retry interval, at most the configured number of times. When the
     * retries run out, a {@link GridSinks} sink fails the job like {@link #THROW}, while a {@link CoapSinks} or
     * {@link MqttSinks} sink writes the item as a dead letter like {@link #NOOP} and goes on, so that one device
     * that stays unreachable does not stop the job's writes to all the others.
     */
    RETRY
}
