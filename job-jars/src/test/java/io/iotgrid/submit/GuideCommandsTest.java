package io.iotgrid.submit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuideCommandsTest {

    @Test
    void when_blocksMarked_then_commandsJoinedReplacedAndBuildsSkipped(@TempDir Path dir) throws IOException {
        Path doc = dir.resolve("guide.md");
        Files.writeString(doc, String.join("\n",
                "text",
                "<!-- runnable: demo; \"--duration 2m\" -> \"--duration 20s\" -->",
                "```bash",
                "mvn -q package && java -jar demo.jar --duration 2m",
                "```",
                "```bash",
                "not marked",
                "```",
                "<!-- runnable: beside demo -->",
                "```bash",
                "# a comment",
                "java -jar client.jar \\",
                "    place p-1",
                "",
                "java -jar client.jar readings",
                "```"));

        List<GuideCommands> blocks = GuideCommands.read(List.of(doc));

        assertThat(blocks).extracting(GuideCommands::role).containsExactly("demo", "beside demo");
        assertThat(blocks.get(0).commands()).containsExactly("java -jar demo.jar --duration 20s");
        assertThat(blocks.get(0).line()).isEqualTo(2);
        assertThat(blocks.get(1).commands()).containsExactly("java -jar client.jar place p-1",
                "java -jar client.jar readings");
    }

    @Test
    void when_markerWithoutBlockOrReplacementNotFound_then_messageNamesTheLine(@TempDir Path dir) throws IOException {
        Path noBlock = dir.resolve("a.md");
        Files.writeString(noBlock, "<!-- runnable: alone -->\ntext\n");
        Path noText = dir.resolve("b.md");
        Files.writeString(noText, "x\n<!-- runnable: alone; \"2m\" -> \"20s\" -->\n```bash\njava -version\n```\n");

        assertThatThrownBy(() -> GuideCommands.read(List.of(noBlock)))
                .hasMessageContaining("a.md:1: a runnable marker must be followed by a ```bash block");
        assertThatThrownBy(() -> GuideCommands.read(List.of(noText)))
                .hasMessageContaining("b.md:2: the block has no '2m' to replace");
    }
}
