package io.iotgrid.sinks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static com.hazelcast.internal.serialization.impl.SerializationUtil.checkSerializable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MapSinkOptionsTest {

    @Test
    void when_defaults_then_noTtlAndNoIndexes() {
        assertThat(MapSinkOptions.defaults()).isEqualTo(new MapSinkOptions(null, List.of()));
    }

    @Test
    void when_withMethods_then_copiesChangeOneComponent() {
        MapSinkOptions options = MapSinkOptions.defaults().withTtl(Duration.ofSeconds(2)).withIndexes("a", "b");

        assertThat(options).isEqualTo(new MapSinkOptions(Duration.ofSeconds(2), List.of("a", "b")));
        checkSerializable(options, "options");
    }

    @Test
    void when_valueInvalid_then_messageNamesKeyAndValue() {
        assertThatThrownBy(() -> MapSinkOptions.defaults().withTtl(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ttl must be null or at least 1 ms, was PT0S");
        assertThatThrownBy(() -> new MapSinkOptions(null, null))
                .hasMessage("indexes must not be null; use an empty list for no indexes");
        assertThatThrownBy(() -> MapSinkOptions.defaults().withIndexes("a", " "))
                .hasMessage("indexes must list attribute names, was [a,  ]");
        assertThatThrownBy(() -> new MapSinkOptions(null, Arrays.asList("a", null)))
                .hasMessage("indexes must list attribute names, was [a, null]");
    }
}
