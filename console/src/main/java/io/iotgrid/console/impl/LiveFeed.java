package io.iotgrid.console.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.sql.HazelcastSqlException;
import com.hazelcast.sql.SqlResult;
import com.hazelcast.sql.SqlRow;
import com.hazelcast.topic.ITopic;
import io.iotgrid.core.DeadLetter;
import io.iotgrid.core.GridNames;
import io.iotgrid.core.Measure;
import io.iotgrid.core.Statistic;
import io.iotgrid.core.ThresholdAlert;
import io.iotgrid.core.WindowStats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the live page shows, kept current by the grid's listeners and fanned out to every open page as server-sent
 * events: on connect a snapshot (each place's newest and last closed window, the recent alerts and dead letters),
 * then each change. The listeners run on Hazelcast's event threads and never wait: each page has a bounded queue,
 * and a page whose queue is full is dropped (its browser reconnects and starts again from a snapshot).
 */
public final class LiveFeed {

    /** Alerts and dead letters kept for a page that connects. */
    static final int RECENT = 50;
    /** Bytes of a dead letter's payload shown. */
    static final int PREVIEW_BYTES = 96;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Object lock = new Object();
    private final Map<String, WindowStats> latest = new TreeMap<>();
    private final Map<String, WindowStats> closed = new TreeMap<>();
    private final ArrayDeque<String> alerts = new ArrayDeque<>();
    private final ArrayDeque<String> deadLetters = new ArrayDeque<>();
    private final Set<Page> pages = new HashSet<>();
    private final int queueCapacity;
    private final List<Runnable> unsubscribe = new ArrayList<>();

    /** One open page: the events waiting to be written to it. */
    public static final class Page {
        private final BlockingQueue<String> events;
        private volatile Runnable onDrop;
        private volatile boolean dropped;

        Page(int capacity) {
            events = new ArrayBlockingQueue<>(capacity);
        }

        /** The next event frame, {@code null} after {@code timeoutMillis} without one. */
        public String next(long timeoutMillis) throws InterruptedException {
            return events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        /** Whether it fell too far behind and was dropped. */
        public boolean dropped() {
            return dropped;
        }

        /** What to do when it is dropped: close its connection, which ends a write that waits on the browser. */
        public void onDrop(Runnable action) {
            onDrop = action;
        }

        boolean offer(String frame) {
            if (dropped) {
                return false;
            }
            if (!events.offer(frame)) {
                drop();
                return false;
            }
            return true;
        }

        void drop() {
            dropped = true;
            Runnable action = onDrop;
            if (action != null) {
                action.run();
            }
        }
    }

    public LiveFeed(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    /** Listens to the grid's structures, then reads what they hold now. */
    public void start(HazelcastInstance hz, String placeStatsMap, String alertsTopic, String deadLettersMap) {
        IMap<String, WindowStats> places = hz.getMap(placeStatsMap);
        IMap<String, WindowStats> placesClosed = hz.getMap(GridNames.closed(placeStatsMap));
        IMap<String, DeadLetter> letters = hz.getMap(deadLettersMap);
        ITopic<ThresholdAlert> topic = hz.getReliableTopic(alertsTopic);
        listen(places, latest);
        listen(placesClosed, closed);
        UUID letterListener = letters.addEntryListener(
                (EntryAddedListener<String, DeadLetter>) e -> deadLetter(e.getKey(), e.getValue()), true);
        unsubscribe.add(() -> letters.removeEntryListener(letterListener));
        UUID alertListener = topic.addMessageListener(m -> alert(m.getMessageObject()));
        unsubscribe.add(() -> topic.removeMessageListener(alertListener));
        // After the listeners: a window written in between is seen twice, and the newer one wins.
        places.forEach((k, v) -> window(latest, v));
        placesClosed.forEach((k, v) -> window(closed, v));
        // On its own thread: a JVM's first SQL query takes seconds to plan, and the console serves meanwhile.
        Thread reader = new Thread(() -> {
            try {
                recentDeadLetters(hz, letters, deadLettersMap);
            } catch (IllegalStateException shutDown) {
                // The instance was shut down before the letters were read: nothing left to show them to.
            }
        }, "iot-grid-console-letters");
        reader.setDaemon(true);
        reader.start();
    }

    /** Removes the listeners and drops every page. */
    public void stop() {
        unsubscribe.forEach(Runnable::run);
        synchronized (lock) {
            pages.forEach(Page::drop);
            pages.clear();
        }
    }

    /** A new page, its queue already holding the snapshot; deltas follow it in order. */
    public Page open() {
        Page page = new Page(queueCapacity);
        synchronized (lock) {
            page.offer(frame("reset", Map.of()));
            latest.values().forEach(w -> page.offer(frame("window", window("latest", w))));
            closed.values().forEach(w -> page.offer(frame("window", window("closed", w))));
            alerts.forEach(page::offer);
            deadLetters.forEach(page::offer);
            pages.add(page);
        }
        return page;
    }

    /** Forgets a page whose connection ended. */
    public void close(Page page) {
        synchronized (lock) {
            pages.remove(page);
        }
    }

    /** How many pages are open. */
    public int pages() {
        synchronized (lock) {
            return pages.size();
        }
    }

    private void listen(IMap<String, WindowStats> map, Map<String, WindowStats> state) {
        UUID id = map.addEntryListener(new WindowListener(state), true);
        unsubscribe.add(() -> map.removeEntryListener(id));
    }

    private final class WindowListener implements EntryAddedListener<String, WindowStats>,
            EntryUpdatedListener<String, WindowStats> {
        private final Map<String, WindowStats> state;

        WindowListener(Map<String, WindowStats> state) {
            this.state = state;
        }

        @Override
        public void entryAdded(EntryEvent<String, WindowStats> event) {
            window(state, event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, WindowStats> event) {
            window(state, event.getValue());
        }
    }

    private void window(Map<String, WindowStats> state, WindowStats w) {
        if (w == null) {
            return;
        }
        synchronized (lock) {
            WindowStats old = state.get(w.id());
            // Events of one key come in order, but the initial read may come after a newer event.
            if (old != null && (old.windowStart() > w.windowStart()
                    || old.windowStart() == w.windowStart() && !old.early() && w.early())) {
                return;
            }
            state.put(w.id(), w);
            publish(frame("window", window(state == latest ? "latest" : "closed", w)));
        }
    }

    private void alert(ThresholdAlert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sensorId", a.sensorId());
        m.put("placeId", a.placeId());
        m.put("timestamp", a.timestamp());
        m.put("measure", a.measure());
        m.put("value", a.value());
        m.put("rule", a.rule());
        m.put("kind", a.kind() == null ? null : a.kind().name());
        String frame = frame("alert", m);
        synchronized (lock) {
            remember(alerts, frame);
            publish(frame);
        }
    }

    private void deadLetter(String key, DeadLetter d) {
        if (d == null) {
            return;
        }
        String frame = frame("deadletter", deadLetterJson(key, d));
        synchronized (lock) {
            remember(deadLetters, frame);
            publish(frame);
        }
    }

    /** The newest dead letters already in the map, through SQL (sorted there); none when it has no mapping yet. */
    private void recentDeadLetters(HazelcastInstance hz, IMap<String, DeadLetter> letters, String mapName) {
        List<String> keys = new ArrayList<>();
        try (SqlResult result = hz.getSql().execute("SELECT __key FROM \"" + mapName
                + "\" ORDER BY received_at DESC LIMIT " + RECENT)) {
            for (SqlRow row : result) {
                keys.add(row.getObject(0));
            }
        } catch (HazelcastSqlException noMappingYet) {
            return;
        }
        Map<String, DeadLetter> found = letters.getAll(new HashSet<>(keys));
        for (int i = keys.size() - 1; i >= 0; i--) {
            DeadLetter d = found.get(keys.get(i));
            if (d != null) {
                String frame = frame("deadletter", deadLetterJson(keys.get(i), d));
                synchronized (lock) {
                    if (!deadLetters.contains(frame)) {
                        remember(deadLetters, frame);
                        publish(frame);
                    }
                }
            }
        }
    }

    private static void remember(ArrayDeque<String> recent, String frame) {
        recent.addLast(frame);
        if (recent.size() > RECENT) {
            recent.removeFirst();
        }
    }

    /** Under {@link #lock}. */
    private void publish(String frame) {
        pages.removeIf(page -> !page.offer(frame));
    }

    static Map<String, Object> window(String which, WindowStats w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("map", which);
        m.put("id", w.id());
        m.put("windowStart", w.windowStart());
        m.put("windowEnd", w.windowEnd());
        m.put("early", w.early());
        m.put("count", w.count());
        Map<String, Object> measures = new LinkedHashMap<>();
        for (Measure measure : Measure.values()) {
            Map<String, Object> stats = new LinkedHashMap<>();
            for (Statistic s : Statistic.values()) {
                stats.put(s.name().toLowerCase(Locale.ROOT), w.value(measure, s));
            }
            measures.put(measure.key(), stats);
        }
        m.put("measures", measures);
        return m;
    }

    static Map<String, Object> deadLetterJson(String key, DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("source", d.source());
        m.put("receivedAt", d.receivedAt());
        m.put("reason", d.reason());
        m.put("topic", d.topic());
        m.put("size", d.payload().length);
        m.put("hex", hex(d.payload()));
        m.put("text", text(d.payload()));
        return m;
    }

    /** The first {@value #PREVIEW_BYTES} bytes in hex, two digits each, space-separated. */
    static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, PREVIEW_BYTES); i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(String.format("%02x", bytes[i] & 0xff));
        }
        return b.toString();
    }

    /** The first {@value #PREVIEW_BYTES} bytes as printable ASCII, every other byte shown as a dot. */
    static String text(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, PREVIEW_BYTES); i++) {
            int c = bytes[i] & 0xff;
            b.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return b.toString();
    }

    static String frame(String event, Map<String, Object> data) {
        try {
            return "event: " + event + "\ndata: " + JSON.writeValueAsString(data) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
