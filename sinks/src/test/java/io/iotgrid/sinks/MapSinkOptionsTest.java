package io.iotgrid.sinks;

import io.iotgrid.core.settings.SettingsReader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static com.hazelcast.internal.serialization.impl.SerializationUtil.checkSerializable;
import static io.iotgrid.sinks.MapSinkOptions.INDEXES;
import static io.iotgrid.sinks.MapSinkOptions.TTL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MapSinkOptionsTest {

    @Test
    void when_defaults_then_noTtlAndNoIndexes() {
        assertThat(MapSinkOptions.defaults().ttl()).isNull();
        assertThat(MapSinkOptions.defaults().indexes()).isEmpty();
    }

    @Test
    void when_builderSets_then_optionsHaveTheValues() {
        MapSinkOptions options = MapSinkOptions.builder().set(TTL, Duration.ofSeconds(2))
                                               .set(INDEXES, List.of("a", "b")).build();

        assertThat(options.ttl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.indexes()).containsExactly("a", "b");
        assertThat(MapSinkOptions.builder().read(SettingsReader.of(Map.of("ttl", "2s", "indexes", "a, b"))).build())
                .isEqualTo(options);
        checkSerializable(options, "options");
    }

    @Test
    void when_valueInvalid_then_messageNamesKeyAndValue() {
        MapSinkOptions.Builder b = MapSinkOptions.builder();

        assertThatThrownBy(() -> b.set(TTL, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ttl must be at least 1ms, was '0s'");
        assertThatThrownBy(() -> b.set(INDEXES, null))
                .hasMessage("indexes is required: " + INDEXES.doc());
        assertThatThrownBy(() -> b.set(INDEXES, List.of("a", " ")))
                .hasMessage("indexes must be a list of attribute names, was 'a, '");
        assertThatThrownBy(() -> b.set(INDEXES, Arrays.asList("a", null)))
                .hasMessage("indexes must be a list of attribute names, was 'a,null'");
        assertThatThrownBy(() -> b.read(SettingsReader.of(Map.of("ttl", "soon"))))
                .hasMessage("ttl must be a duration such as 500ms, 90s, 5m or 1h, or none, was 'soon'");
    }
}
