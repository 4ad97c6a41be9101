package io.iotgrid.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class IdCacheTest {

    private final IdCache cache = new IdCache();

    @Test
    void when_idReadAgain_then_sameString() {
        String first = cache.get(chars("xx-sensor-7-xx"), 3, 8);
        String again = cache.get("sensor-7".toCharArray(), 0, 8);

        assertThat(first).isEqualTo("sensor-7");
        assertThat(again).isSameAs(first);
    }

    @Test
    void when_sameIdAsBytesAndAsChars_then_sameString() {
        String fromBytes = cache.get(bytes("{\"id\":\"s-1\"}"), 7, 3);

        assertThat(fromBytes).isEqualTo("s-1");
        assertThat(cache.get("s-1".toCharArray(), 0, 3)).isSameAs(fromBytes);
        assertThat(cache.get(bytes("s-1"), 0, 3)).isSameAs(fromBytes);
    }

    @Test
    void when_latin1Bytes_then_eachByteOneCharacter() {
        byte[] in = {'c', (byte) 0xe9, '1'};

        assertThat(cache.get(in, 0, 3)).isEqualTo("c\u00e91");
        assertThat(cache.get("c\u00e91".toCharArray(), 0, 3)).isSameAs(cache.get(in, 0, 3));
    }

    @Test
    void when_idsDifferOnlyInLengthOrCharacters_then_eachItsOwn() {
        assertThat(cache.get("ab".toCharArray(), 0, 2)).isEqualTo("ab");
        assertThat(cache.get("abc".toCharArray(), 0, 3)).isEqualTo("abc");
        assertThat(cache.get("ab".toCharArray(), 0, 1)).isEqualTo("a");
        assertThat(cache.get("ba".toCharArray(), 0, 2)).isEqualTo("ba");
        assertThat(cache.get("".toCharArray(), 0, 0)).isEmpty();
    }

    @Test
    void when_idBeyondLatin1_then_correctButNotCached() {
        String first = cache.get("s-\u4e00".toCharArray(), 0, 3);

        assertThat(first).isEqualTo("s-\u4e00");
        assertThat(cache.get("s-\u4e00".toCharArray(), 0, 3)).isEqualTo(first).isNotSameAs(first);
    }

    @Test
    void when_idLongerThanLimit_then_correctButNotCached() {
        String longId = "s".repeat(IdCache.MAX_CACHED_LENGTH + 1);
        String first = cache.get(longId.toCharArray(), 0, longId.length());

        assertThat(first).isEqualTo(longId);
        assertThat(cache.get(bytes(longId), 0, longId.length())).isEqualTo(longId).isNotSameAs(first);
    }

    @Test
    void when_farMoreIdsThanSlots_then_everyIdCorrectAndRecentOnesStillCached() {
        int ids = IdCache.SLOTS * 4;
        for (int i = 0; i < ids; i++) {
            String id = "sensor-" + i;
            assertThat(cache.get(id.toCharArray(), 0, id.length())).isEqualTo(id);
        }
        // Evicted or not, every id comes back equal. A thread's working set read after the flood is cached again:
        // in a full table a new id takes its first slot, so only ids sharing that slot evict each other.
        String[] first = new String[1000];
        int cached = 0;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < first.length; i++) {
                String id = "p-" + i;
                String got = cache.get(bytes(id), 0, id.length());
                assertThat(got).isEqualTo(id);
                if (round == 0) {
                    first[i] = got;
                } else if (got == first[i]) {
                    cached++;
                }
            }
        }
        assertThat(cached).isGreaterThan(first.length * 9 / 10);
    }

    @Test
    void when_sequentialIdsOfTwoThreads_then_allStayCached() {
        // 10 000 sensors over two threads: each reads about half of them and the places, again and again.
        String[] ids = new String[5_100];
        for (int i = 0; i < 5_000; i++) {
            ids[i] = "s-" + (2 * i);
        }
        for (int i = 0; i < 100; i++) {
            ids[5_000 + i] = "p-" + i;
        }
        String[] first = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            first[i] = cache.get(bytes(ids[i]), 0, ids[i].length());
        }
        for (int i = 0; i < ids.length; i++) {
            assertThat(cache.get(bytes(ids[i]), 0, ids[i].length())).as(ids[i]).isSameAs(first[i]);
        }
    }

    private static char[] chars(String s) {
        return s.toCharArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
