package io.iotgrid.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadLimitTest {

    @Test
    void when_sizeAtLimit_then_notExceeded_and_oneMore_then_exceeded() {
        assertThat(PayloadLimit.exceeds(65_536, PayloadLimit.DEFAULT_MAX_BYTES)).isFalse();
        assertThat(PayloadLimit.exceeds(65_537, PayloadLimit.DEFAULT_MAX_BYTES)).isTrue();
        assertThat(PayloadLimit.exceeds(PayloadLimit.UNKNOWN_SIZE, PayloadLimit.DEFAULT_MAX_BYTES)).isTrue();
    }

    @Test
    void when_reason_then_namesSizeKeyAndLimit() {
        assertThat(PayloadLimit.reason(8_388_608, 65_536)).isEqualTo("payload of 8388608 bytes exceeds "
                + "payload.max.bytes (65536); the dead letter keeps its first 1024 bytes at most");
        assertThat(PayloadLimit.reason(PayloadLimit.UNKNOWN_SIZE, 100))
                .startsWith("payload of more than 100 bytes exceeds payload.max.bytes (100)");
    }

    @Test
    void when_head_then_firstBytesOnly() {
        byte[] big = new byte[5_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        byte[] head = PayloadLimit.head(big);
        assertThat(head).hasSize(PayloadLimit.KEPT_BYTES);
        assertThat(head[PayloadLimit.KEPT_BYTES - 1]).isEqualTo(big[PayloadLimit.KEPT_BYTES - 1]);
        byte[] small = {1, 2, 3};
        assertThat(PayloadLimit.head(small)).isEqualTo(small);
    }

    @Test
    void when_settingDefaultsAndBounds_then_64KiBAndChecked() {
        assertThat(PayloadLimit.MAX_BYTES.defaultValue()).isEqualTo(65_536);
        assertThat(PayloadLimit.MAX_BYTES.key()).isEqualTo("payload.max.bytes");
        assertThat(PayloadLimit.MAX_BYTES.parse("1024")).isEqualTo(1024);
        assertThatThrownBy(() -> PayloadLimit.MAX_BYTES.parse("0"))
                .hasMessage("payload.max.bytes must be between 1 and 67108864 (64 MiB), was '0'");
    }
}
