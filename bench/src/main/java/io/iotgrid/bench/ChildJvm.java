package io.iotgrid.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A JVM running one {@code main} (of this benchmark's classpath unless given another, e.g. the Kafka Streams peer's,
 * optionally behind a command such as {@code taskset -c 0}), which speaks to its parent in lines: it writes
 * lines starting with {@value #PREFIX} to stdout (everything else, its log, goes to a file), reads commands from
 * stdin and exits at the end of stdin, so it never outlives the benchmark. It says {@code READY [what]} once set up
 * ({@link #awaitReady}) and {@code FAILED <reason>} when it fails ({@link #failure()}); its {@code main} runs in
 * {@link #runChild}. {@link #kill()} is a real SIGKILL of its process id.
 */
final class ChildJvm implements AutoCloseable {

    /** What starts a line meant for the parent. */
    static final String PREFIX = "SOAK ";

    private final String name;
    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final AtomicReference<String> failed = new AtomicReference<>();

    private ChildJvm(String name, Process process, Path log, Consumer<String> onLine) {
        this.name = name;
        this.process = process;
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> read(log, onLine), name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new JVM of this JVM's classpath and {@code maxHeap}; its log
     * (stdout lines that are not for the parent, and stderr) is appended to {@code log}. Every line for the parent
     * is handed to {@code onLine} (without the prefix) and kept for {@link #await}.
     */
    static ChildJvm start(String name, Class<?> mainClass, String maxHeap, Path log, Consumer<String> onLine,
                          String... args) {
        return start(name, List.of(), System.getProperty("java.class.path"), mainClass.getName(), maxHeap, List.of(),
                log, onLine, args);
    }

    /**
     * As {@link #start(String, Class, String, Path, Consumer, String...)}, with {@code classpath} for the JVM's,
     * {@code prefix} before the {@code java} command (e.g. {@code taskset -c 0}) and {@code jvmArgs} after the
     * JVM's usual ones.
     */
    static ChildJvm start(String name, List<String> prefix, String classpath, String mainClass, String maxHeap,
                          List<String> jvmArgs, Path log, Consumer<String> onLine, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                "-Dhazelcast.phone.home.enabled=false", "-Dhazelcast.logging.type=log4j2",
                // What Hazelcast asks for on JDK 17, as the tests' argLine gives it.
                "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"));
        command.addAll(jvmArgs);
        // Under failsafe this JVM's classpath is a manifest-only jar whose Class-Path names the test classpath: it
        // works with -cp as well.
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ChildJvm(name, process, log, onLine);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the JVM of " + name, e);
        }
    }

    /** CPU time (user and system, all threads) the process has used so far, ns; clock-tick resolution on Linux. */
    long cpuNanos() {
        return cpuNanos(pid());
    }

    /**
     * CPU time (user and system) process {@code pid} has used so far, ns.
     *
     * @throws IllegalStateException if the process is gone or the OS does not tell
     */
    static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos)
                            .orElseThrow(() -> new IllegalStateException("no CPU time for process " + pid));
    }

    /** The process id. */
    long pid() {
        return process.pid();
    }

    /** Sends one command line. */
    void send(String command) {
        try {
            commands.write(command + '\n');
            commands.flush();
        } catch (IOException e) {
            throw new IllegalStateException(name + " (pid " + pid() + ") does not take commands", e);
        }
    }

    /**
     * Waits for the next line for the parent that starts with {@code start}, skipping others; returns it without
     * the prefix.
     *
     * @throws IllegalStateException if none came within {@code atMost} or the JVM exited
     */
    String await(String start, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            String line = replies.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException(name + " (pid " + pid() + ") did not say '" + start + "' within "
                        + atMost + (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
            }
            if (line.startsWith(start)) {
                return line;
            }
        }
    }

    /**
     * Waits for the child's {@code READY} line; returns what follows the word (empty if nothing does), e.g. the
     * number of windows a member will make.
     *
     * @throws IllegalStateException if none came within {@code atMost} or the JVM exited
     */
    String awaitReady(Duration atMost) throws InterruptedException {
        String line = await("READY", atMost);
        return line.length() > "READY".length() ? line.substring("READY ".length()) : "";
    }

    /**
     * Why the child cannot go on: its first {@code FAILED} line, or {@code its JVM exited}; {@code null} while it
     * runs and has not failed.
     */
    String failure() {
        String line = failed.get();
        if (line != null) {
            return line;
        }
        return process.isAlive() ? null : "its JVM exited";
    }

    /** SIGKILL, as a crash or a power cut would, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + pid() + ") did not die within 30 s of SIGKILL");
        }
    }

    /** Closes its stdin, so it exits by itself; kills it if it has not within 30 s. */
    @Override
    public void close() throws InterruptedException {
        try {
            commands.close();
        } catch (IOException e) {
            // Already gone: waiting below says so.
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    private void read(Path log, Consumer<String> onLine) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             PrintWriter logOut = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith(PREFIX)) {
                    String reply = line.substring(PREFIX.length());
                    if (reply.startsWith("FAILED")) {
                        failed.compareAndSet(null, reply);
                    }
                    onLine.accept(reply);
                    replies.add(reply);
                } else {
                    logOut.println(line);
                }
            }
        } catch (IOException e) {
            // The stream ends with the process; whoever waits for a line learns it from await's timeout.
        }
    }

    /** What a child's {@code main} runs in {@link #runChild}. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs a child's {@code main} and exits its JVM: with 0 when {@code body} returns; when it throws, after its stack
     * trace (to the log) and {@code FAILED <exception>} to the parent, with 1. Exiting either way keeps a thread the
     * body left behind (a member's, a stream thread) from keeping the JVM alive.
     */
    static void runChild(Body body) {
        try {
            body.run();
        } catch (Throwable e) {
            e.printStackTrace();
            tell("FAILED " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * What a child's {@code main} does to stop with its parent: blocks reading stdin, handing each line to
     * {@code onCommand}, and returns at its end.
     */
    static void serveCommands(Consumer<String> onCommand) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            onCommand.accept(line.trim());
        }
    }

    /** A line for the parent, from the child. */
    static synchronized void tell(String line) {
        System.out.println(PREFIX + line);
        System.out.flush();
    }
}
