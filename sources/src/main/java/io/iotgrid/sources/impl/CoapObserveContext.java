package io.iotgrid.sources.impl;

import com.hazelcast.jet.Util;
import com.hazelcast.jet.core.Processor;
import com.hazelcast.jet.pipeline.SourceBuilder.SourceBuffer;
import com.hazelcast.logging.ILogger;
import io.iotgrid.core.RawReading;
import io.iotgrid.sources.CoapObserveSettings;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one CoAP observe source processor: one Californium endpoint, one client and observe relation per
 * resource, and a bounded queue from Californium's callbacks to {@link #fillBuffer}.
 */
public final class CoapObserveContext {

    /** Most items one {@link #fillBuffer} call emits, so the processor returns to Jet regularly. */
    private static final int MAX_BATCH = 1024;
    /** At most one warning about dropped notifications per this interval. */
    private static final long DROP_WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long {@link #destroy} waits for the servers to confirm the cancellations. */
    private static final long CANCEL_WAIT_MILLIS = 2_000;

    private final ILogger logger;
    private final CoapObserveSettings settings;
    private final String threadName;
    private final BlockingQueue<RawReading> queue;
    private final List<RawReading> batch = new ArrayList<>(MAX_BATCH);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong nextDropWarning = new AtomicLong(System.nanoTime());
    private final List<Observation> observations = new ArrayList<>();
    private volatile boolean closing;
    private volatile CountDownLatch cancellations;
    private ScheduledThreadPoolExecutor executor;
    private CoapEndpoint endpoint;

    /**
     * Creates the context; nothing is sent before the first {@link #fillBuffer} call, because Jet restores a
     * processor's state after creating it and a push source must not emit before that.
     */
    public CoapObserveContext(Processor.Context context, CoapObserveSettings settings) {
        this.logger = context.logger();
        this.settings = settings;
        this.threadName = "coap-observe-" + Util.idToString(context.jobId());
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    }

    /** Starts the observations on the first call, then moves up to {@value #MAX_BATCH} notifications. */
    public void fillBuffer(SourceBuffer<RawReading> buffer) {
        if (endpoint == null) {
            start();
        }
        queue.drainTo(batch, MAX_BATCH);
        for (RawReading reading : batch) {
            buffer.add(reading);
        }
        batch.clear();
    }

    /** Notifications dropped so far because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    private void start() {
        // One thread for all clients' callbacks and re-registrations; a client left alone makes its own.
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        InetSocketAddress bindAddress = bindAddress(settings.resources());
        // An explicit configuration: the standard one would write Californium3.properties into the working dir.
        endpoint = new CoapEndpoint.Builder()
                .setConfiguration(new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS))
                .setInetSocketAddress(bindAddress)
                .build();
        try {
            endpoint.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a CoAP endpoint to " + bindAddress, e);
        }
        for (String uri : settings.resources()) {
            CoapClient client = new CoapClient(uri).setEndpoint(endpoint).setExecutors(executor, executor, true);
            if (settings.confirmable()) {
                client.useCONs();
            } else {
                client.useNONs();
            }
            Handler handler = new Handler(uri);
            observations.add(new Observation(client, handler, client.observe(handler)));
        }
        logger.info("Observing " + settings.resources() + " from " + endpoint.getAddress());
    }

    /**
     * Deregisters every live relation with a GET carrying Observe 1 (RFC 7641 section 3.6), waits a bounded time
     * for the answers, then releases the clients and the endpoint.
     */
    public void destroy() {
        if (endpoint == null) {
            return;
        }
        cancellations = new CountDownLatch((int) observations.stream().filter(o -> o.handler.live).count());
        closing = true;
        try {
            for (Observation observation : observations) {
                if (observation.handler.live) {
                    observation.relation.proactiveCancel();
                } else {
                    // The server holds no relation any more: only stop the client's re-registration.
                    observation.relation.reactiveCancel();
                }
            }
            if (!cancellations.await(CANCEL_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                logger.warning("Not every server confirmed the observe cancellation within " + CANCEL_WAIT_MILLIS
                        + " ms; those drop the relation when a notification goes unacknowledged");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Observation observation : observations) {
                observation.client.shutdown();
            }
            endpoint.destroy();
            executor.shutdownNow();
        }
        long total = dropped.get();
        if (total > 0) {
            logger.warning("Dropped " + total + " notifications in total because the queue of "
                    + settings.queueCapacity() + " was full");
        }
    }

    private void offer(RawReading reading) {
        if (queue.offer(reading)) {
            return;
        }
        long total = dropped.incrementAndGet();
        long now = System.nanoTime();
        long due = nextDropWarning.get();
        if (now - due >= 0 && nextDropWarning.compareAndSet(due, now + DROP_WARNING_INTERVAL_NANOS)) {
            logger.warning("Dropped a notification from " + reading.source() + " because the queue of "
                    + settings.queueCapacity() + " is full: the job reads slower than the resources notify ("
                    + total + " dropped so far)");
        }
    }

    /**
     * A socket bound to 127.0.0.1 cannot reach other hosts, one bound to the wildcard address accepts datagrams
     * on every interface: take the loopback one only when every resource is on it.
     */
    private static InetSocketAddress bindAddress(List<String> resources) {
        for (String resource : resources) {
            try {
                InetAddress address = InetAddress.getByName(URI.create(resource).getHost());
                if (!(address instanceof Inet4Address) || !address.isLoopbackAddress()) {
                    return new InetSocketAddress(0);
                }
            } catch (UnknownHostException e) {
                // The observe request reports the unknown host with the URI; the endpoint just needs to be usable.
                return new InetSocketAddress(0);
            }
        }
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private record Observation(CoapClient client, Handler handler, CoapObserveRelation relation) {
    }

    /** Runs on {@link #executor}: only offers to the queue and logs, never blocks. */
    private final class Handler implements CoapHandler {
        private final String uri;
        /** Whether the server may still hold the relation: no error, failure or final answer yet. */
        volatile boolean live = true;

        Handler(String uri) {
            this.uri = uri;
        }

        @Override
        public void onLoad(CoapResponse response) {
            boolean observing = response.getOptions().hasObserve();
            if (closing) {
                // The answer to our cancellation is the one without Observe; late notifications are ignored.
                if (!observing) {
                    cancellations.countDown();
                }
                return;
            }
            if (!observing) {
                live = false;
            }
            if (!response.isSuccess()) {
                String text = response.getResponseText();
                logger.warning("Observe of " + uri + " answered " + response.getCode()
                        + (text.isEmpty() ? "" : " '" + text + "'") + ": no more notifications from it");
                return;
            }
            // Even an empty payload goes on: the parser turns it into a dead letter rather than it vanishing here.
            offer(new RawReading(uri, System.currentTimeMillis(), response.getPayload()));
            if (!observing) {
                logger.warning("Observe of " + uri + " answered " + response.getCode()
                        + " without the Observe option: the resource is not observable or the server ended the "
                        + "relation; no more notifications from it");
            }
        }

        @Override
        public void onError() {
            if (closing) {
                cancellations.countDown();
                return;
            }
            live = false;
            logger.warning("Observe of " + uri + " failed (no answer, rejected or unreachable): no more "
                    + "notifications from it");
        }
    }
}
