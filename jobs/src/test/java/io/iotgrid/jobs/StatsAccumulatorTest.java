package io.iotgrid.jobs;

import com.hazelcast.internal.nio.BufferObjectDataOutput;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import io.iotgrid.core.Measure;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsAccumulatorTest {

    private static final InternalSerializationService SERIALIZATION = new DefaultSerializationServiceBuilder().build();

    @Test
    void when_snapshotHoldsVersion1Accumulator_then_restoreFailsSayingVersionsAndWhatToDo() throws IOException {
        // What the accumulator's serializer wrote before standard deviations: version 1, the readings, then count,
        // min, max and sum of each measure.
        BufferObjectDataOutput out = SERIALIZATION.createObjectDataOutput();
        out.writeByte(1);
        out.writeLong(2);
        double[] slots = new double[Measure.count() * 4];
        slots[0] = 2;
        slots[1] = 20;
        slots[2] = 22;
        slots[3] = 42;
        out.writeDoubleArray(slots);

        assertThatThrownBy(() -> new StatsAccumulator.Serializer().read(
                SERIALIZATION.createObjectDataInput(out.toByteArray())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("saved in format version 1")
                .hasMessageContaining("this iot-grid reads version " + StatsAccumulator.Serializer.FORMAT_VERSION)
                .hasMessageContaining("cancel the job and submit it anew")
                .hasMessageContaining("without the old snapshot");
    }
}
