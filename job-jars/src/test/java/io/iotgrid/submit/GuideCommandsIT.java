package io.iotgrid.submit;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the commands that README.md and docs/ mark runnable (see {@link GuideCommands}) verbatim from the repository
 * root, with the jars this build made: the usage of every runnable, the demo with a shortened {@code --duration},
 * and the client commands against the running demo. The cluster guide's commands (distribution, {@code hz start},
 * {@code hz-cli submit}) are run by {@link DistributionIT} instead, which does every step of docs/cluster.md.
 */
class GuideCommandsIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The port the demo and the client use by default, as the guides run them. */
    private static final int DEFAULT_PORT = 5701;
    /** A row of the demo's table: place id, then its window. */
    private static final Pattern PLACE_ROW = Pattern.compile("(?m)^p-1\\s+\\S+-\\S+\\s+(early|final)\\s");

    @Test
    void when_guidesRunnableCommandsRun_then_demoShowsTableAndStopsAndEveryOtherCommandSucceeds() throws Exception {
        assertThat(ROOT.resolve("demo/target/iot-grid-demo.jar")).as("the demo jar, built before this module").exists();
        assertThat(ROOT.resolve("client/target/iot-grid-client.jar")).as("the client jar").exists();
        List<GuideCommands> blocks = GuideCommands.read(ReadmeOptionsTest.documents(ROOT));
        List<GuideCommands> demos = blocks.stream().filter(b -> b.role().equals(GuideCommands.DEMO)).toList();
        assertThat(demos).as("runnable demo blocks").singleElement()
                         .satisfies(d -> assertThat(d.commands()).hasSize(1));
        assertThat(blocks).as("blocks run beside the demo")
                          .anyMatch(b -> b.role().equals(GuideCommands.BESIDE_DEMO));
        assertPortFree(DEFAULT_PORT);

        for (GuideCommands block : blocks) {
            if (block.role().equals(GuideCommands.ALONE)) {
                runAll(block);
            }
        }

        Path output = Files.createTempFile(ROOT.resolve("job-jars/target"), "guide-demo-", ".txt");
        Process demo = start(demos.get(0).commands().get(0), output.toFile());
        try {
            awaitOutput(demo, output, PLACE_ROW, 60);
            for (GuideCommands block : blocks) {
                if (block.role().equals(GuideCommands.BESIDE_DEMO)) {
                    runAll(block);
                }
            }
            boolean exited = demo.waitFor(60, TimeUnit.SECONDS);
            String console = Files.readString(output);
            assertThat(exited).as("the demo ends after its --duration; output:%n%s", console).isTrue();
            assertThat(demo.exitValue()).as("exit status; output:%n%s", console).isZero();
            assertThat(console).contains("place  window").containsPattern("(?m)^iot-grid demo: stopped")
                               .doesNotContain("Exception");
        } finally {
            stop(demo);
            Files.deleteIfExists(output);
        }
    }

    private static void runAll(GuideCommands block) throws Exception {
        for (String command : block.commands()) {
            Path output = Files.createTempFile(ROOT.resolve("job-jars/target"), "guide-command-", ".txt");
            Process p = start(command, output.toFile());
            try {
                boolean exited = p.waitFor(60, TimeUnit.SECONDS);
                String printed = Files.readString(output);
                assertThat(exited).as("%s: '%s' ends; output:%n%s", block, command, printed).isTrue();
                assertThat(p.exitValue()).as("%s: exit status of '%s'; output:%n%s", block, command, printed)
                                         .isZero();
            } finally {
                stop(p);
                Files.deleteIfExists(output);
            }
        }
    }

    private static Process start(String command, File output) throws IOException {
        return new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile()).redirectErrorStream(true)
                                                       .redirectOutput(output).start();
    }

    private static void awaitOutput(Process process, Path output, Pattern expected, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!expected.matcher(Files.readString(output)).find()) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                fail("no line matching %s within %d s; output:%n%s", expected, seconds, Files.readString(output));
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops {@code process} and what it started (bash's children), by their process handles. */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            if (!h.onExit().completeOnTimeout(h, 10, TimeUnit.SECONDS).join().isAlive()) {
                continue;
            }
            h.destroyForcibly();
        }
    }

    private static void assertPortFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(s.isBound()).isTrue();
        } catch (IOException e) {
            fail("port %d is taken: the guides' commands use the defaults, so nothing else may listen there (%s)",
                    port, e.getMessage());
        }
    }
}
