package io.iotgrid.jobs.impl;

import com.hazelcast.jet.core.Processor;
import com.hazelcast.jet.core.test.TestInbox;
import com.hazelcast.jet.core.test.TestOutbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives a processor by hand as Jet would, for what TestSupport cannot: the wall clock and its timers. */
final class ProcessorDriver {

    private ProcessorDriver() {
    }

    /** Hands {@code items} to {@code p} on ordinal 0; each must be taken. */
    static void process(Processor p, Object... items) {
        TestInbox inbox = new TestInbox();
        inbox.addAll(List.of(items));
        p.process(0, inbox);
        assertThat(inbox).isEmpty();
    }

    /** Calls {@code tryProcess()} as Jet does when the inbox is empty, until something comes out (at most 10 s). */
    static List<Object> awaitOutput(Processor p, TestOutbox outbox) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Object> out = new ArrayList<>();
        while (out.isEmpty() && System.nanoTime() < deadline) {
            assertThat(p.tryProcess()).isTrue();
            outbox.drainQueueAndReset(0, out, false);
        }
        return out;
    }
}
