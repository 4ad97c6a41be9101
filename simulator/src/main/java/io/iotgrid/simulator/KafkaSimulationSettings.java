package io.iotgrid.simulator;

/**
 * What a {@link KafkaSensorProducer} sends and where.
 * <p>
 * {@code KafkaSimulationSettings.of("127.0.0.1:9092", "readings").withEncoding(KafkaEncoding.AVRO)}
 *
 * @param bootstrapServers the brokers, required
 * @param topic            the topic to write, required; records are keyed by sensor id
 * @param encoding         how values carry readings; default {@link KafkaEncoding#JSON}
 * @param schemaId         the schema id written into {@link KafkaEncoding#CONFLUENT_AVRO} values; default 1
 * @param simulation       sensors, places, readings per second per sensor and seed (its CoAP host and port are not
 *                         used); default {@link SimulationSettings#defaults()}
 */
public record KafkaSimulationSettings(String bootstrapServers, String topic, KafkaEncoding encoding, int schemaId,
                                      SimulationSettings simulation) {

    public KafkaSimulationSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank, was '" + bootstrapServers + "'");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank, was '" + topic + "'");
        }
        if (encoding == null) {
            throw new IllegalArgumentException("encoding must not be null");
        }
        if (schemaId < 0) {
            throw new IllegalArgumentException("schemaId must not be negative, was " + schemaId);
        }
        if (simulation == null) {
            throw new IllegalArgumentException("simulation must not be null");
        }
    }

    /** JSON readings of the default simulation to {@code topic}, schema id 1. */
    public static KafkaSimulationSettings of(String bootstrapServers, String topic) {
        return new KafkaSimulationSettings(bootstrapServers, topic, KafkaEncoding.JSON, 1,
                SimulationSettings.defaults());
    }

    /** A copy writing values in {@code encoding}. */
    public KafkaSimulationSettings withEncoding(KafkaEncoding encoding) {
        return new KafkaSimulationSettings(bootstrapServers, topic, encoding, schemaId, simulation);
    }

    /** A copy writing {@code schemaId} into confluent-avro values. */
    public KafkaSimulationSettings withSchemaId(int schemaId) {
        return new KafkaSimulationSettings(bootstrapServers, topic, encoding, schemaId, simulation);
    }

    /** A copy simulating {@code simulation}'s sensors, places, rate and seed. */
    public KafkaSimulationSettings withSimulation(SimulationSettings simulation) {
        return new KafkaSimulationSettings(bootstrapServers, topic, encoding, schemaId, simulation);
    }
}
