package io.iotgrid.console;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsoleSettingsTest {

    @Test
    void when_defaults_then_loopbackPort8083NoCredentials() {
        ConsoleSettings s = ConsoleSettings.defaults();
        assertThat(s.get(ConsoleSettings.BIND_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(s.get(ConsoleSettings.PORT)).isEqualTo(8083);
        assertThat(s.authenticates()).isFalse();
    }

    @Test
    void when_boundBeyondLoopbackWithoutCredentials_then_refusedNamingTheKeys() {
        assertThatThrownBy(() -> ConsoleSettings.builder().set(ConsoleSettings.BIND_ADDRESS, "0.0.0.0").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("console.bind.address is '0.0.0.0', not a loopback address: set console.api.token or "
                        + "console.basic.user and console.basic.password, or anyone who reaches the port can change "
                        + "the connectors");
    }

    @Test
    void when_boundBeyondLoopbackWithTokenOrBasic_then_accepted() {
        assertThat(ConsoleSettings.builder().set(ConsoleSettings.BIND_ADDRESS, "0.0.0.0")
                .set(ConsoleSettings.API_TOKEN, "t").build().authenticates()).isTrue();
        assertThat(ConsoleSettings.builder().set(ConsoleSettings.BIND_ADDRESS, "0.0.0.0")
                .set(ConsoleSettings.BASIC_USER, "ops").set(ConsoleSettings.BASIC_PASSWORD, "pw").build()
                .authenticates()).isTrue();
    }

    @Test
    void when_basicUserWithoutPassword_then_refused() {
        assertThatThrownBy(() -> ConsoleSettings.builder().set(ConsoleSettings.BASIC_USER, "ops").build())
                .hasMessage("console.basic.user and console.basic.password go together: give both or neither");
    }

    @Test
    void when_tokenShown_then_hidden() {
        assertThat(ConsoleSettings.builder().set(ConsoleSettings.API_TOKEN, "s3cret").build().toString())
                .doesNotContain("s3cret").contains("console.api.token=(hidden)");
    }

    @Test
    void when_portOutOfRange_then_keyNamed() {
        assertThatThrownBy(() -> ConsoleSettings.builder().set(ConsoleSettings.PORT, 70_000))
                .hasMessage("console.port must be between 0 and 65535, was '70000'");
    }
}
