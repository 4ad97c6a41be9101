package io.iotgrid.sources;

import io.iotgrid.core.settings.SettingsReader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoapDiscoveryTest {

    @Test
    void when_keysGiven_then_oneDiscoveryPerServerWithTheFilters() {
        assertThat(CoapDiscovery.read(SettingsReader.of(Map.of("coap.discover",
                "coap://127.0.0.1:5683, coap://127.0.0.2:5700/", "coap.discover.glob", "/sensors/*",
                "coap.discover.observable.only", "false", "coap.discover.resource.type", "temperature"))))
                .containsExactly(new CoapDiscovery("coap://127.0.0.1:5683", "/sensors/*", false, "temperature"),
                        new CoapDiscovery("coap://127.0.0.2:5700", "/sensors/*", false, "temperature"));
        assertThat(CoapDiscovery.read(SettingsReader.of(Map.of("coap.discover", "coap://127.0.0.1"))))
                .containsExactly(CoapDiscovery.of("coap://127.0.0.1"));
    }

    @Test
    void when_valueBad_then_messageNamesKeyAndValue() {
        assertThatThrownBy(() -> CoapDiscovery.of("http://127.0.0.1"))
                .hasMessage("coap.discover must be coap:// or coaps:// URIs, was 'http://127.0.0.1'");
        assertThatThrownBy(() -> CoapDiscovery.of("coap:///"))
                .hasMessage("coap.discover must be URIs that name a host, was 'coap:///'");
        assertThatThrownBy(() -> CoapDiscovery.of("coap://127.0.0.1/sensors"))
                .hasMessage("coap.discover must be URIs without path, query or fragment (the path is "
                        + "/.well-known/core), was 'coap://127.0.0.1/sensors'");
        assertThatThrownBy(() -> CoapDiscovery.of("coap://127.0.0.1", "sensors/*"))
                .hasMessage("coap.discover.glob must be a path pattern starting with /, was 'sensors/*'");
        assertThatThrownBy(() -> CoapDiscovery.of("coap://127.0.0.1").withResourceType(" "))
                .hasMessage("coap.discover.resource.type must be non-blank, was ' '");
        assertThatThrownBy(() -> CoapDiscovery.read(SettingsReader.of(Map.of("coap.discover", "coap://127.0.0.1",
                "coap.discover.observable.only", "maybe"))))
                .hasMessage("coap.discover.observable.only must be true or false, was 'maybe'");
    }

    @Test
    void when_filterWithoutServers_then_rejectedNamingIt() {
        assertThatThrownBy(() -> CoapDiscovery.read(SettingsReader.of(Map.of("coap.discover.glob", "/s/*"))))
                .hasMessage("coap.discover.glob applies only with coap.discover");
    }
}
