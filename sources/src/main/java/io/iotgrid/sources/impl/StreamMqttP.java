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
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.AbstractProcessor;
import com.hazelcast.jet.core.EventTimeMapper;
import com.hazelcast.jet.core.EventTimePolicy;
import com.hazelcast.jet.core.ProcessorMetaSupplier;
import com.hazelcast.jet.core.ProcessorSupplier;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.sources.MqttMessage;
import io.iotgrid.sources.MqttSourceSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The MQTT source processor. The source has a fixed number of sessions ({@link MqttSourceSettings#sessions()}), each
 * an MQTT client with its own client id {@code <prefix>-<n>}; the processor with global index {@code i} of
 * {@code total} runs those with {@code n % total == i}. Because the sessions, not the processors, are numbered, a job
 * restarted on fewer or more members still resumes every session, with the messages the broker holds for it.
 * <p>
 * Acknowledgement: with a snapshotting guarantee, a QoS 1 or 2 message is acknowledged to the broker only once a
 * snapshot taken after its item left this processor has completed: {@link #saveToSnapshot()} (phase 1) moves the
 * messages emitted so far to those awaiting the commit, {@link #snapshotCommitFinish(boolean)} (phase 2, called
 * after every member saved the snapshot, for at-least-once and exactly-once alike) acknowledges them when it
 * succeeded and keeps them for the next snapshot when not. Without a guarantee a message is acknowledged once its
 * item is emitted. Whatever is not acknowledged when the job fails, the broker sends again to the resumed session.
 * <p>
 * Event time is stamped here, with an {@link EventTimeMapper} that keeps one partition per session this processor
 * runs.
 *
 * @param <T> what it emits: the message itself, or e.g. a reading parsed from it
 */
public final class StreamMqttP<T> extends AbstractProcessor implements DynamicMetricsProvider {

    /** The tag that names the session (its client id) on every per-session metric. */
    public static final String SESSION_TAG = "mqttSession";

    private final MqttSourceSettings settings;
    private final FunctionEx<? super MqttMessage, ? extends T> projectionFn;
    private final EventTimeMapper<T> eventTimeMapper;
    private final BlockingQueue<MqttSession.Inbound> queue = new LinkedBlockingQueue<>();
    private final List<MqttSession> sessions = new ArrayList<>();
    /** Messages whose items are emitted, not yet in a snapshot. */
    private final List<Runnable> emitted = new ArrayList<>();
    /** Messages in the snapshot being taken: acknowledged when it completes. */
    private final List<Runnable> awaitingCommit = new ArrayList<>();
    private boolean ackOnEmit;
    private boolean started;
    private Traverser<Object> pending;
    private MqttSession.Inbound pendingMessage;

    StreamMqttP(MqttSourceSettings settings, FunctionEx<? super MqttMessage, ? extends T> projectionFn,
                EventTimePolicy<? super T> eventTimePolicy) {
        this.settings = settings;
        this.projectionFn = projectionFn;
        this.eventTimeMapper = new EventTimeMapper<>(eventTimePolicy);
    }

    /**
     * With a shared group, {@link MqttSourceSettings#localParallelism()} processors per member; otherwise one in the
     * cluster. {@code projectionFn} may return {@code null} to skip a message (it is acknowledged all the same).
     */
    public static <T> ProcessorMetaSupplier metaSupplier(MqttSourceSettings settings,
                                                         FunctionEx<? super MqttMessage, ? extends T> projectionFn,
                                                         EventTimePolicy<? super T> eventTimePolicy) {
        ProcessorSupplier supplier = ProcessorSupplier.of(() -> new StreamMqttP<>(settings, projectionFn,
                eventTimePolicy));
        return settings.sharedGroup() != null
                ? ProcessorMetaSupplier.of(settings.localParallelism(), supplier)
                : ProcessorMetaSupplier.forceTotalParallelismOne(supplier);
    }

    /** Whether the processor with {@code index} of {@code total} runs session {@code n}. */
    static boolean runs(int n, int index, int total) {
        return n % total == index;
    }

    /**
     * The client-id prefix when none is configured: the job id and a hash of the source's vertex name, so that two
     * MQTT sources of a job, or two jobs, never take each other's sessions, while a restart of the same job resumes
     * them.
     */
    static String defaultClientIdPrefix(long jobId, String vertexName) {
        return "iotgrid-" + Util.idToString(jobId).toLowerCase(Locale.ROOT) + '-'
                + Integer.toHexString(vertexName.hashCode());
    }

    @Override
    protected void init(Context context) {
        boolean shared = settings.sharedGroup() != null;
        // forceTotalParallelismOne still numbers the single processor among all members': it runs every session.
        int index = shared ? context.globalProcessorIndex() : 0;
        int total = shared ? context.totalParallelism() : 1;
        ackOnEmit = context.processingGuarantee() == ProcessingGuarantee.NONE;
        String prefix = settings.clientId() != null ? settings.clientId()
                : defaultClientIdPrefix(context.jobId(), context.vertexName());
        for (int n = 0; n < settings.sessions(); n++) {
            if (runs(n, index, total)) {
                sessions.add(new MqttSession(settings, sessions.size(), prefix + '-' + n, getLogger(), queue));
            }
        }
        eventTimeMapper.addPartitions(sessions.size());
    }

    @Override
    public boolean complete() {
        if (!started) {
            // Connected here, not in init: messages must not arrive before the job can emit them.
            started = true;
            sessions.forEach(MqttSession::start);
        }
        while (true) {
            if (pending == null) {
                pendingMessage = queue.poll();
                pending = pendingMessage == null ? eventTimeMapper.flatMapIdle() : stamped(pendingMessage);
            }
            if (!emitFromTraverser(pending)) {
                return false;
            }
            pending = null;
            if (pendingMessage == null) {
                return false;
            }
            if (ackOnEmit) {
                pendingMessage.ack().run();
            } else {
                emitted.add(pendingMessage.ack());
            }
        }
    }

    /** The item made of {@code in}, in event time, after a watermark if one is due; the receipt time is native. */
    private Traverser<Object> stamped(MqttSession.Inbound in) {
        T item = projectionFn.apply(in.message());
        if (item == null) {
            return Traversers.empty();
        }
        if (item instanceof DeadLetter) {
            sessions.get(in.session()).counters().deadLetters.incrementAndGet();
        }
        return eventTimeMapper.flatMapEvent(item, in.session(), in.message().receivedAt());
    }

    @Override
    public boolean saveToSnapshot() {
        // Everything emitted so far is ahead of this snapshot's barrier; the broker holds the rest.
        awaitingCommit.addAll(emitted);
        emitted.clear();
        return true;
    }

    @Override
    public boolean snapshotCommitFinish(boolean success) {
        if (success) {
            awaitingCommit.forEach(Runnable::run);
            awaitingCommit.clear();
        }
        return true;
    }

    @Override
    public void close() {
        sessions.forEach(MqttSession::close);
    }

    @Override
    public void provideDynamicMetrics(MetricDescriptor descriptor, MetricsCollectionContext context) {
        for (MqttSession session : sessions) {
            MetricDescriptor d = descriptor.copy().withTag(SESSION_TAG, session.clientId());
            SessionCounters c = session.counters();
            collect(context, d, SessionCounters.RECEIVED, c.received());
            collect(context, d, SessionCounters.DEAD_LETTERS, c.deadLetters());
            collect(context, d, SessionCounters.RECONNECTS, c.reconnects());
            collect(context, d, SessionCounters.DROPPED, c.dropped());
            collect(context, d, SessionCounters.IN_FLIGHT, c.inFlight());
            collect(context, d, SessionCounters.FAILED, c.failed());
        }
    }

    private static void collect(MetricsCollectionContext context, MetricDescriptor d, String name, long value) {
        context.collect(d.copy(), name, ProbeLevel.INFO, ProbeUnit.COUNT, value);
    }
}
