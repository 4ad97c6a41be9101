package io.iotgrid.sources.impl;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.internal.metrics.DynamicMetricsProvider;
import com.hazelcast.internal.metrics.MetricDescriptor;
import com.hazelcast.internal.metrics.MetricsCollectionContext;
import com.hazelcast.internal.metrics.ProbeLevel;
import com.hazelcast.internal.metrics.ProbeUnit;
import com.hazelcast.jet.Traverser;
import com.hazelcast.jet.Traversers;
import com.hazelcast.jet.Util;
import com.hazelcast.jet.core.AbstractProcessor;
import com.hazelcast.jet.core.BroadcastKey;
import com.hazelcast.jet.core.EventTimeMapper;
import com.hazelcast.jet.core.EventTimePolicy;
import com.hazelcast.jet.core.ProcessorMetaSupplier;
import com.hazelcast.jet.core.ProcessorSupplier;
import io.iotgrid.sources.CoapNotification;
import io.iotgrid.sources.CoapObserveSettings;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import static com.hazelcast.jet.core.BroadcastKey.broadcastKey;

/**
 * The CoAP observe source processor. Each instance observes its share of the resources (those whose URI hash falls
 * on its global index), emits what {@link CoapObserver} queues, saves the last delivered Observe number of each
 * resource to snapshots and publishes per-resource counters as Jet metrics tagged {@code resource=<uri>}.
 * <p>
 * Event time is stamped here, with an {@link EventTimeMapper} that keeps one partition per resource: the configured
 * resources it owns from the start, a discovered one from its first notification. Each resource's watermark follows
 * its own items, and the processor's is the lowest of them, so a resource whose clock is far behind another's does
 * not have its items counted late.
 *
 * @param <T> what it emits: the notification itself, or e.g. a {@code RawReading} made from it
 */
public final class StreamCoapP<T> extends AbstractProcessor implements DynamicMetricsProvider {

    /** The tag that names the resource on every per-resource metric. */
    public static final String RESOURCE_TAG = "resource";

    private final CoapObserveSettings settings;
    private final FunctionEx<? super CoapNotification, ? extends T> mapFn;
    private final EventTimeMapper<T> eventTimeMapper;
    /** The event-time partition of each resource seen; an index never changes once given. */
    private final Map<String, Integer> partitions = new HashMap<>();
    private final Map<String, ObserveMark> restored = new HashMap<>();
    private BlockingQueue<CoapNotification> queue;
    private CoapObserver observer;
    private int index;
    private int total;
    private String threadName;
    private Traverser<Object> emitting;
    private Traverser<Map.Entry<BroadcastKey<String>, ObserveMark>> snapshotting;

    StreamCoapP(CoapObserveSettings settings, FunctionEx<? super CoapNotification, ? extends T> mapFn,
                EventTimePolicy<? super T> eventTimePolicy) {
        this.settings = settings;
        this.mapFn = mapFn;
        this.eventTimeMapper = new EventTimeMapper<>(eventTimePolicy);
    }

    /**
     * Distributed: {@code localParallelism} processors per member; otherwise one processor in the whole cluster.
     * {@code mapFn} may return {@code null} to skip a notification.
     */
    public static <T> ProcessorMetaSupplier metaSupplier(CoapObserveSettings settings,
                                                         FunctionEx<? super CoapNotification, ? extends T> mapFn,
                                                         EventTimePolicy<? super T> eventTimePolicy) {
        ProcessorSupplier supplier = ProcessorSupplier.of(() -> new StreamCoapP<>(settings, mapFn, eventTimePolicy));
        return settings.distributed()
                ? ProcessorMetaSupplier.of(settings.localParallelism(), supplier)
                : ProcessorMetaSupplier.forceTotalParallelismOne(supplier);
    }

    /** Whether the processor with {@code index} of {@code total} observes {@code uri}. */
    static boolean owns(String uri, int index, int total) {
        return Math.floorMod(uri.hashCode(), total) == index;
    }

    @Override
    protected void init(Context context) {
        // forceTotalParallelismOne still numbers the single processor among all members': it owns everything.
        index = settings.distributed() ? context.globalProcessorIndex() : 0;
        total = settings.distributed() ? context.totalParallelism() : 1;
        threadName = "coap-observe-" + Util.idToString(context.jobId()) + "-" + index;
        queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        // The configured resources hold event time back from the start, so that one that answers late is not
        // behind a watermark already moved by the others.
        for (String uri : settings.resources()) {
            if (owns(uri, index, total)) {
                partition(uri);
            }
        }
    }

    @Override
    public boolean complete() {
        if (observer == null) {
            // Started here, not in init: a restore from a snapshot happens between the two.
            int i = index;
            int t = total;
            observer = new CoapObserver(settings, getLogger(), uri -> owns(uri, i, t), queue, threadName, restored);
            observer.start();
        }
        if (emitting == null) {
            emitting = queue.isEmpty()
                    ? eventTimeMapper.flatMapIdle()
                    : ((Traverser<CoapNotification>) queue::poll).flatMap(this::stamped);
        }
        if (emitFromTraverser(emitting)) {
            emitting = null;
        }
        return false;
    }

    /**
     * The item made of {@code n}, in event time, after a watermark if one is due. The receipt time is the native
     * timestamp, for {@code withNativeTimestamps}.
     */
    private Traverser<Object> stamped(CoapNotification n) {
        T item = mapFn.apply(n);
        return item == null
                ? Traversers.empty()
                : eventTimeMapper.flatMapEvent(item, partition(n.resource()), n.receivedAt());
    }

    private int partition(String uri) {
        return partitions.computeIfAbsent(uri, u -> {
            eventTimeMapper.addPartitions(1);
            return eventTimeMapper.partitionCount() - 1;
        });
    }

    @Override
    public boolean saveToSnapshot() {
        if (snapshotting == null) {
            Map<String, ObserveMark> marks = observer == null ? restored : observer.marks();
            snapshotting = Traversers.traverseIterable(marks.entrySet())
                    .map(e -> Map.entry(broadcastKey(e.getKey()), e.getValue()));
        }
        if (!emitFromTraverserToSnapshot(snapshotting)) {
            return false;
        }
        snapshotting = null;
        return true;
    }

    @Override
    protected void restoreFromSnapshot(Object key, Object value) {
        // Every processor gets every mark (broadcast keys); it keeps those of its own resources, which after a
        // change of parallelism may have been another processor's.
        @SuppressWarnings("unchecked")
        String uri = ((BroadcastKey<String>) key).key();
        if (owns(uri, index, total)) {
            restored.put(uri, (ObserveMark) value);
        }
    }

    @Override
    public void close() {
        if (observer != null) {
            observer.close();
        }
    }

    @Override
    public void provideDynamicMetrics(MetricDescriptor descriptor, MetricsCollectionContext context) {
        if (observer == null) {
            return;
        }
        for (Map.Entry<String, ResourceCounters> e : observer.counters().entrySet()) {
            MetricDescriptor d = descriptor.copy().withTag(RESOURCE_TAG, e.getKey());
            ResourceCounters c = e.getValue();
            collect(context, d, ResourceCounters.NOTIFICATIONS, c.notifications());
            collect(context, d, ResourceCounters.REOBSERVATIONS, c.reobservations());
            collect(context, d, ResourceCounters.ERRORS, c.errors());
            collect(context, d, ResourceCounters.DROPPED, c.dropped());
            collect(context, d, ResourceCounters.SEQUENCE_GAPS, c.sequenceGaps());
        }
    }

    private static void collect(MetricsCollectionContext context, MetricDescriptor d, String name, long value) {
        context.collect(d.copy(), name, ProbeLevel.INFO, ProbeUnit.COUNT, value);
    }
}
