package io.iotgrid.sinks.impl;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class KeyOrderTest {

    private final GridWriters.KeyOrder order = new GridWriters.KeyOrder();
    private final List<String> sent = new ArrayList<>();

    @Test
    void when_batchSharesAKeyWithOneInFlight_then_sentOnlyAfterItCompletes() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        order.after(Set.of("a", "b"), () -> send("first", first));
        CompletableFuture<Object> second = order.after(Set.of("b", "c"), () -> send("second",
                CompletableFuture.completedFuture(null)));

        assertThat(sent).containsExactly("first");
        assertThat(second).isNotDone();

        first.complete(null);

        assertThat(sent).containsExactly("first", "second");
        assertThat(second).isDone();
    }

    @Test
    void when_batchesShareNoKey_then_bothSentAtOnce() {
        order.after(Set.of("a"), () -> send("first", new CompletableFuture<>()));
        order.after(Set.of("b"), () -> send("second", new CompletableFuture<>()));

        assertThat(sent).containsExactly("first", "second");
    }

    @Test
    void when_earlierWriteFailed_then_laterOneStillSent() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        order.after(Set.of("a"), () -> send("first", first));
        CompletableFuture<Object> second = order.after(Set.of("a"), () -> send("second",
                CompletableFuture.completedFuture(null)));

        first.completeExceptionally(new IllegalStateException("member left"));

        assertThat(sent).containsExactly("first", "second");
        assertThat(second).isCompleted();
    }

    private CompletableFuture<Void> send(String name, CompletableFuture<Void> result) {
        sent.add(name);
        return result;
    }
}
