package io.iotgrid.jobs.impl;

import com.hazelcast.function.SupplierEx;
import com.hazelcast.jet.core.Processor;
import com.hazelcast.jet.impl.JetEvent;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import io.iotgrid.core.SensorState;
import io.iotgrid.core.SensorStatus;
import io.iotgrid.core.WindowStats;
import io.iotgrid.jobs.JobSerializers;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static com.hazelcast.jet.impl.JetEvent.jetEvent;

/**
 * Puts each place's count of silent sensors into its window results: takes, keyed by place id, the place windows
 * on their way to the place stats map and the {@link SensorStatus}es of {@link SensorStageP}, and emits each window
 * with {@link WindowStats#silentSensors()} set to how many of the place's sensors are SILENT or OFFLINE, and the
 * place's last window again, with the new number, whenever a status changes it (so the map shows a sensor going
 * silent while the place's other sensors report, and also when none does).
 * <p>
 * A status says the whole state of its sensor, not a change, so taking one twice (at least once after a restore,
 * or the periodic rewrite of an online sensor) changes nothing; a sensor counted silent by mistake after a restore
 * is taken out by its next status. Liveness runs keyed by sensor on every member, this keyed by place: the
 * partitioned edge brings every status of a place's sensors, from any member, to one processor. The state, one
 * {@link Place} per place with the ids of its silent sensors and its last window, is saved in snapshots keyed by
 * place id, so a restore puts it where the place's items go; places are few, and a place is kept as long as the
 * job runs, as {@code sensor_status} keeps its sensors.
 */
public final class PlaceSilenceP extends SnapshottingP {

    private final Map<String, Place> places = new HashMap<>();
    /** The item {@link #tryProcess} could not emit yet; its state change is already made. */
    private Object pending;

    /** A supplier for a keyed {@code customTransform}. */
    public static SupplierEx<Processor> supplier() {
        return PlaceSilenceP::new;
    }

    /** The place id of a window result or a sensor status: the key of this processor's input. */
    public static String placeId(Object windowOrStatus) {
        return windowOrStatus instanceof WindowStats w ? w.id() : ((SensorStatus) windowOrStatus).placeId();
    }

    @Override
    protected boolean tryProcess(int ordinal, Object item) {
        if (pending == null) {
            pending = take((JetEvent<?>) item);
            if (pending == null) {
                return true;
            }
        }
        if (!tryEmit(pending)) {
            return false;
        }
        pending = null;
        return true;
    }

    /** Updates the state with {@code event}; returns the window to emit, or null. */
    private Object take(JetEvent<?> event) {
        Object item = event.payload();
        Place place = places.computeIfAbsent(placeId(item), k -> new Place(null, new HashSet<>()));
        if (item instanceof WindowStats window) {
            place.last = window.withSilentSensors(place.silent.size());
        } else {
            SensorStatus status = (SensorStatus) item;
            boolean changed = status.state() == SensorState.ONLINE
                    ? place.silent.remove(status.sensorId())
                    : place.silent.add(status.sensorId());
            if (!changed || place.last == null) {
                return null;
            }
            place.last = place.last.withSilentSensors(place.silent.size());
        }
        // Stamped as what brought it: the stages after this one only write to the map.
        return jetEvent(event.timestamp(), place.last);
    }

    @Override
    Iterable<Map.Entry<String, Place>> snapshotEntries() {
        return new HashMap<>(places).entrySet();
    }

    @Override
    protected void restoreFromSnapshot(Object key, Object value) {
        places.put((String) key, (Place) value);
    }

    /** What {@link PlaceSilenceP} knows of one place: its silent or offline sensors, and its last window emitted. */
    public static final class Place {
        private final Set<String> silent;
        private WindowStats last;

        /** A place whose last window is {@code last} (null before its first) and whose silent sensors are {@code silent}. */
        public Place(WindowStats last, Set<String> silent) {
            this.last = last;
            this.silent = silent;
        }

        /** The snapshot form of {@link Place}: version 1, the last window (or null) and the silent sensor ids. */
        public static final class Serializer implements StreamSerializer<Place> {

            @Override
            public int getTypeId() {
                return JobSerializers.FIRST_TYPE_ID + 22;
            }

            @Override
            public void write(ObjectDataOutput out, Place p) throws IOException {
                out.writeByte(RecordSerializers.VERSION);
                out.writeObject(p.last);
                out.writeInt(p.silent.size());
                for (String id : p.silent) {
                    out.writeString(id);
                }
            }

            @Override
            public Place read(ObjectDataInput in) throws IOException {
                RecordSerializers.readVersion(in, "PlaceSilenceP.Place");
                WindowStats last = in.readObject();
                int n = in.readInt();
                Set<String> silent = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    silent.add(in.readString());
                }
                return new Place(last, silent);
            }
        }
    }
}
