package io.iotgrid.sources.kafka;

import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.Decoded;
import io.iotgrid.core.ReadingFormat;
import io.iotgrid.core.SensorReading;
import io.iotgrid.core.testing.ReadingArbitraries;
import io.iotgrid.simulator.KafkaEncoding;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.Size;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.iotgrid.core.testing.ReadingArbitraries.assertWellFormed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of {@link KafkaPayloadDecoder} in every payload format: whatever the value's bytes, it answers with a
 * reading or a dead letter that keeps them, and every reading it gives is finite and plausible; every valid reading
 * the simulator encodes decodes back as itself.
 */
class KafkaPayloadDecoderPropertiesTest {

    private static final Map<KafkaEncoding, KafkaPayloadDecoder> DECODERS = new EnumMap<>(KafkaEncoding.class);

    static {
        for (KafkaEncoding e : KafkaEncoding.values()) {
            DECODERS.put(e, new KafkaPayloadDecoder(SimulatorEncodingsDecodeTest.settings(e), ReadingFormat.nested()));
        }
    }

    @Property
    void anyValue_givesAReadingOrADeadLetterKeepingIt(@ForAll @Size(max = 200) byte[] value,
                                                     @ForAll KafkaEncoding encoding) {
        assertDecodedWell(encoding, value);
    }

    /** Values a bit off a valid one (bytes changed, cut or added), which get further into each format's decoding. */
    @Property
    void damagedValues_giveAReadingOrADeadLetterKeepingThem(@ForAll("readings") SensorReading reading,
                                                           @ForAll KafkaEncoding encoding,
                                                           @ForAll("changes") List<Tuple2<Integer, Byte>> changes,
                                                           @ForAll @Size(max = 3) byte[] tail) {
        byte[] valid = encoding.encode(reading, 1, 42);
        byte[] value = new byte[valid.length + tail.length];
        System.arraycopy(valid, 0, value, 0, valid.length);
        System.arraycopy(tail, 0, value, valid.length, tail.length);
        for (Tuple2<Integer, Byte> change : changes) {
            value[change.get1() % value.length] = change.get2();
        }
        assertDecodedWell(encoding, value);
    }

    @Property
    void validReadings_decodeAsThemselves_inEveryEncoding(@ForAll("readings") SensorReading reading,
                                                          @ForAll KafkaEncoding encoding) {
        assertThat(DECODERS.get(encoding).decode("t", 0, 0, null, encoding.encode(reading, 1, 42), 0))
                .isEqualTo(reading);
    }

    @Provide
    Arbitrary<SensorReading> readings() {
        return ReadingArbitraries.validReadings();
    }

    @Provide
    Arbitrary<List<Tuple2<Integer, Byte>>> changes() {
        return Arbitraries.integers().greaterOrEqual(0).flatMap(at -> Arbitraries.bytes().map(b -> Tuple.of(at, b)))
                .list().ofMaxSize(3);
    }

    private static void assertDecodedWell(KafkaEncoding encoding, byte[] value) {
        Decoded d = DECODERS.get(encoding).decode("t", 3, 7, null, value, 0);
        assertWellFormed(d);
        if (d instanceof DeadLetter dl) {
            assertThat(dl.payload()).isEqualTo(value);
            assertThat(dl.offset()).isEqualTo(7);
        }
    }
}
