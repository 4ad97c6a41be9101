package io.iotgrid.member;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster (Debian's {@code postgresql} package) for tests: {@code initdb} into
 * {@code target/postgres/<port>}, {@code pg_ctl start} on a free port of 127.0.0.1 only, password authentication
 * over TCP for the superuser {@value #USER} (password {@value #PASSWORD}), so wrong credentials fail as they would
 * in production. {@code try (PostgresServer pg = PostgresServer.start()) { ... pg.jdbcUrl() ... }}; one for a whole
 * test class: {@link PostgresExtension}.
 * <p>
 * {@code initdb} and {@code pg_ctl} are looked up under {@code /usr/lib/postgresql/<version>/bin} (Debian does not
 * put them on the PATH), newest version first, then on the PATH. PostgreSQL refuses to run as root: as root (CI)
 * they run through {@code runuser -u postgres --} on a directory owned by {@code postgres}. A system service the
 * package may have started on 5432 is neither used nor disturbed.
 * <p>
 * {@link #kill()} stops the server as a crash would ({@code pg_ctl stop -m immediate}: no checkpoint, clients cut
 * off) and waits until its process (by PID) is gone; {@link #start()} on the same object starts it again on the
 * same directory and port, recovering from its WAL. {@link #close()} stops it and waits for its PID.
 */
public final class PostgresServer implements AutoCloseable {

    /** The superuser {@code initdb} creates. */
    public static final String USER = "iot";
    /** Its password. */
    public static final String PASSWORD = "iot-secret";
    /** The database every cluster has. */
    public static final String DATABASE = "postgres";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path bin;
    private final Path dir;
    private final int port;
    private long pid = -1;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** Creates a cluster on a free port and starts it. */
    public static PostgresServer start() throws IOException {
        int port = freeTcpPort();
        Path bin = binDir();
        Path dir = Path.of("target", "postgres", Integer.toString(port)).toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Path data = dir.resolve("data");
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
        if (ROOT) {
            run(dir, "chown", "-R", "postgres:postgres", dir.toString());
        }
        PostgresServer server = new PostgresServer(bin, dir, port);
        server.pg(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
                "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--locale=C.UTF-8");
        server.startAgain();
        return server;
    }

    /** Starts the server again after {@link #kill()} or {@link #stop()}: same directory, same port, same data. */
    public void startAgain() throws IOException {
        Path data = dir.resolve("data");
        pg(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l",
                dir.resolve("postgres.log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        // The postmaster's PID is the first line of postmaster.pid, written before pg_ctl -w returns.
        pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    }

    /** Stops the server as a crash would (immediate shutdown) and waits until its process is gone. */
    public void kill() throws IOException {
        stop("immediate");
    }

    /** Stops the server cleanly (fast shutdown) and waits until its process is gone. */
    public void stop() throws IOException {
        stop("fast");
    }

    private void stop(String mode) throws IOException {
        if (pid < 0) {
            return;
        }
        long stopping = pid;
        pid = -1;
        try {
            pg(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", mode, "-w", "stop");
        } finally {
            Optional<ProcessHandle> process = ProcessHandle.of(stopping);
            if (process.isPresent()) {
                try {
                    process.get().onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    process.get().destroyForcibly();
                }
            }
        }
    }

    /** Whether the server process is running. */
    public boolean running() {
        return pid >= 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The PID of the postmaster; -1 when stopped. */
    public long pid() {
        return pid;
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + '/' + DATABASE;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + '/' + database;
    }

    /**
     * Creates the database {@code name} (a plain lower-case name), so tests sharing one server keep their tables
     * apart; returns its {@link #jdbcUrl(String)}.
     */
    public String createDatabase(String name) throws SQLException {
        try (Connection c = connect(); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return jdbcUrl(name);
    }

    /** A new connection to {@code jdbcUrl} as {@link #USER}. */
    public static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, USER, PASSWORD);
    }

    /** A new connection as {@link #USER}. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    /** The server's log, for a failing test's report. */
    public Path log() {
        return dir.resolve("postgres.log");
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private void pg(String... command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (ROOT) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        run(dir, cmd.toArray(String[]::new));
    }

    private static void run(Path dir, String... command) throws IOException {
        Path out = dir.resolve("commands.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT
                        + ", see " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted running " + String.join(" ", command), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ", see " + out);
        }
    }

    private static Path binDir() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> version(b.getParent().getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "initdb"))) {
                return Path.of(entry);
            }
        }
        throw new IllegalStateException("no initdb under /usr/lib/postgresql/*/bin nor on the PATH: install the "
                + "'postgresql' package (.ci/run does)");
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
