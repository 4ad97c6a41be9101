package io.iotgrid.core.settings;

import io.iotgrid.core.testing.JavaSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The settings framework on a settings type of its own: definitions, builder, reader, docs and secrets. */
class SettingsTest {

    static final SettingGroup GROUP = new SettingGroup("example");
    static final Setting<Duration> WINDOW = GROUP.add(Setting.duration("window.size", Duration.ofMinutes(1),
            "window length").require(d -> d.toMillis() >= 1, "at least 1ms"));
    static final Setting<Duration> EARLY = GROUP.add(Setting.duration("early", Duration.ofSeconds(5),
            "early results").require(d -> !d.isNegative(), "zero or positive"));
    static final Setting<Duration> QUIET = GROUP.add(Setting.duration("quiet", Duration.ofSeconds(30),
            "quiet close").orNone());
    static final Setting<String> BROKERS = GROUP.add(Setting.string("brokers", null, "the brokers"));
    static final Setting<String> ALIAS = GROUP.add(Setting.string("alias", null, "an alias").optional());
    static final Setting<String> PASSWORD = GROUP.add(Setting.string("password", "changeit", "a password")
            .secret());
    static final Setting<List<String>> TOPICS = GROUP.add(Setting.list("topics", List.of("t"), "topics"));
    static final Setting<Map<String, String>> CONSUMER = GROUP.add(Setting.prefixed("consumer.", "consumer"));
    static final Setting<Integer> RETRIES = GROUP.add(Setting.integer("retries", 3, "retries"));

    static final class Example extends Settings {
        Example(Builder b) {
            super(b);
        }
    }

    static final class Builder extends SettingsBuilder<Example, Builder> {
        Builder() {
            super(GROUP);
        }

        @Override
        protected void sanityCheck() {
            if (!get(EARLY).isZero() && get(EARLY).compareTo(get(WINDOW)) >= 0) {
                throw new IllegalArgumentException(EARLY.key() + " must be shorter than " + WINDOW.key());
            }
        }

        @Override
        protected Example create() {
            return new Example(this);
        }
    }

    @Test
    void when_builtWithRequiredOnly_then_defaultsApply() {
        Example e = new Builder().set(BROKERS, "h:1").build();

        assertThat(e.get(WINDOW)).isEqualTo(Duration.ofMinutes(1));
        assertThat(e.get(QUIET)).isEqualTo(Duration.ofSeconds(30));
        assertThat(e.get(ALIAS)).isNull();
        assertThat(e.get(TOPICS)).containsExactly("t");
        assertThat(e.get(CONSUMER)).isEmpty();
        assertThat(e).isEqualTo(new Builder().set(BROKERS, "h:1").build());
        assertThat(JavaSerialization.roundTrip(e)).isEqualTo(e);
    }

    @Test
    void when_oldKeyDeclaredWithOtherDoc_then_sameChecksAndDefaultUnderThatKeyWithThatDoc() {
        Setting<Duration> old = WINDOW.withKey("size").withDoc("deprecated: use `window.size`");

        assertThat(old.key()).isEqualTo("size");
        assertThat(old.doc()).isEqualTo("deprecated: use `window.size`");
        assertThat(old.defaultValue()).isEqualTo(WINDOW.defaultValue());
        assertThat(SettingsReader.arguments("size=5s").get(old)).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> SettingsReader.arguments("size=0s").get(old))
                .hasMessageContaining("size must be at least 1ms");
    }

    @Test
    void when_valueBad_then_messageNamesKeyRequirementAndValue() {
        assertThatThrownBy(() -> new Builder().set(WINDOW, Duration.ZERO))
                .hasMessage("window.size must be at least 1ms, was '0s'");
        assertThatThrownBy(() -> new Builder().set(BROKERS, null))
                .hasMessage("brokers is required: the brokers");
        assertThatThrownBy(() -> new Builder().build())
                .hasMessage("brokers is required: the brokers");
        assertThatThrownBy(() -> SettingsReader.of(Map.of("window.size", "soon")).get(WINDOW))
                .hasMessage("window.size must be a duration such as 500ms, 90s, 5m or 1h, was 'soon'");
        assertThatThrownBy(() -> SettingsReader.of(Map.of("retries", "many")).get(RETRIES))
                .hasMessage("retries must be a whole number, was 'many'");
    }

    @Test
    void when_combinationBad_then_buildRejectsWhateverTheOrderOfSets() {
        // A window shorter than the early-results period is fine while building: only build() checks the pair.
        Builder b = new Builder().set(BROKERS, "h").set(WINDOW, Duration.ofSeconds(2));
        assertThatThrownBy(b::build).hasMessage("early must be shorter than window.size");
        assertThat(b.set(EARLY, Duration.ofSeconds(1)).build().get(EARLY)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void when_readFromArgumentsAndFile_then_laterOverridesEarlierAndNoneTurnsOff(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("a.properties");
        Files.writeString(file, "window.size = 5m\nbrokers=h:1\nconsumer.group.id=g\n");

        Example e = new Builder().read(SettingsReader.arguments(file.toString(), "window.size=10m", "quiet=none",
                "topics=a, b,,c")).build();

        assertThat(e.get(WINDOW)).isEqualTo(Duration.ofMinutes(10));
        assertThat(e.get(QUIET)).isNull();
        assertThat(e.get(TOPICS)).containsExactly("a", "b", "c");
        assertThat(e.get(CONSUMER)).containsExactly(Map.entry("group.id", "g"));
        assertThatThrownBy(() -> SettingsReader.arguments("no-such-file")).hasMessage(
                "argument 'no-such-file' is neither key=value nor a properties file");
    }

    @Test
    void when_keyUnknown_then_rejectedWithTheKnownOnes() {
        Properties p = new Properties();
        p.setProperty("windowSize", "1m");
        p.setProperty("consumer.anything", "x");

        assertThatThrownBy(() -> SettingsReader.of(p).rejectUnknown(GROUP))
                .hasMessage("unknown keys [windowSize]; known keys are [alias, brokers, early, password, quiet, "
                        + "retries, topics, window.size] and those starting with [consumer.]");
    }

    @Test
    void when_secret_then_neverShown() {
        Example e = new Builder().set(BROKERS, "h").set(PASSWORD, "s3cr3t").build();

        assertThat(e.toString()).contains("password=(hidden)").doesNotContain("s3cr3t");
        assertThat(PASSWORD.format("s3cr3t")).isEqualTo("(hidden)");
        assertThatThrownBy(() -> new Builder().set(PASSWORD, " "))
                .hasMessage("password must be non-blank, was '(hidden)'");
    }

    @Test
    void when_listGivenThenChanged_then_settingsKeepTheirCopy() {
        List<String> topics = new ArrayList<>(List.of("a"));
        Example e = new Builder().set(BROKERS, "h").set(TOPICS, topics).build();
        topics.add("b");

        assertThat(e.get(TOPICS)).containsExactly("a");
    }

    @Test
    void when_markdownTable_then_aRowPerSettingWithItsDefault() {
        assertThat(GROUP.markdownTable()).startsWith("| Key | Default | Meaning |\n|---|---|---|\n"
                + "| `window.size` | `1m` | window length |\n| `early` | `5s` | early results |\n"
                + "| `quiet` | `30s` | quiet close |\n| `brokers` | required | the brokers |\n"
                + "| `alias` |  | an alias |\n");
        assertThat(Setting.duration("d", null, "x").orNone().defaultText()).isEqualTo("none");
    }

    @Test
    void when_settingNotOfTheType_then_builderRefusesIt() {
        Setting<Integer> other = Setting.integer("other", 1, "not in the group");

        assertThatThrownBy(() -> new Builder().set(other, 2)).hasMessageStartingWith("other is not a setting of example");
    }
}
