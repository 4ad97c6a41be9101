package io.iotgrid.console.impl;

import io.iotgrid.core.DeadLetter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LiveFeedTest {

    @Test
    void when_pageFallsBehind_then_droppedOnceWithoutWaiting() throws Exception {
        LiveFeed.Page page = new LiveFeed.Page(16);
        AtomicInteger drops = new AtomicInteger();
        page.onDrop(drops::incrementAndGet);
        for (int i = 0; i < 16; i++) {
            assertThat(page.offer("event " + i)).isTrue();
        }
        assertThat(page.offer("one too many")).isFalse();
        assertThat(page.offer("and another")).isFalse();
        assertThat(page.dropped()).isTrue();
        assertThat(drops).hasValue(1);
        assertThat(page.next(0)).isEqualTo("event 0");
    }

    @Test
    void when_pageOpens_then_itsSnapshotStartsWithAReset() throws Exception {
        LiveFeed feed = new LiveFeed(16);
        LiveFeed.Page page = feed.open();
        assertThat(page.next(0)).startsWith("event: reset\n");
        assertThat(page.next(0)).isNull();
        assertThat(feed.pages()).isEqualTo(1);
        feed.close(page);
        assertThat(feed.pages()).isZero();
    }

    @Test
    void when_deadLetterShown_then_hexAndPrintableTextOfItsBytes() {
        byte[] raw = "{\"t\":\u00e9}\n".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> json = LiveFeed.deadLetterJson("k", new DeadLetter("coap://h/s-1", 1L, "malformed JSON",
                raw));
        assertThat(json).containsEntry("source", "coap://h/s-1").containsEntry("reason", "malformed JSON")
                .containsEntry("size", raw.length);
        assertThat(json.get("hex")).isEqualTo("7b 22 74 22 3a c3 a9 7d 0a");
        assertThat(json.get("text")).isEqualTo("{\"t\":..}.");
    }

    @Test
    void when_payloadLong_then_previewCut() {
        byte[] raw = new byte[1000];
        assertThat(LiveFeed.hex(raw).split(" ")).hasSize(LiveFeed.PREVIEW_BYTES);
        assertThat(LiveFeed.text(raw)).hasSize(LiveFeed.PREVIEW_BYTES);
    }
}
