package io.iotgrid.kafka.broker.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the broker JVM's jars, which the build copies into this module's classes under {@value #LIB}: used in place
 * from a classes directory, or extracted once from a jar (this module's, or a shaded jar that contains it) into a
 * directory of the temporary directory named after the jars' checksums, so every later start reuses it.
 */
public final class BrokerClasspath {

    static final String LIB = "io/iotgrid/kafka/broker/lib/";

    private BrokerClasspath() {
    }

    /** The directory holding the broker's jars, and nothing else. */
    public static Path directory() {
        Path location;
        try {
            location = Path.of(BrokerClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + BrokerClasspath.class.getName(), e);
        }
        if (Files.isDirectory(location)) {
            Path lib = location.resolve(LIB);
            if (!Files.isDirectory(lib)) {
                throw new IllegalStateException(lib + " is missing: build the kafka-broker module with Maven "
                        + "(its process-resources phase copies the broker's jars there)");
            }
            return lib;
        }
        try {
            return extract(location);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the Kafka broker's jars from " + location, e);
        }
    }

    private static Path extract(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            List<JarEntry> entries = new ArrayList<>();
            Collections.list(file.entries()).forEach(e -> {
                if (e.getName().startsWith(LIB) && e.getName().endsWith(".jar") && !e.isDirectory()) {
                    entries.add(e);
                }
            });
            if (entries.isEmpty()) {
                throw new IllegalStateException(jar + " holds no " + LIB + "*.jar: it was not built by Maven");
            }
            entries.sort(Comparator.comparing(JarEntry::getName));
            long checksum = 17;
            for (JarEntry e : entries) {
                checksum = checksum * 31 + e.getName().hashCode();
                checksum = checksum * 31 + e.getCrc();
            }
            Path target = Path.of(System.getProperty("java.io.tmpdir"),
                    "iot-grid-kafka-broker-" + Long.toHexString(checksum));
            if (Files.isDirectory(target)) {
                return target;
            }
            Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + "-staging-");
            for (JarEntry e : entries) {
                try (InputStream in = file.getInputStream(e)) {
                    Files.copy(in, staging.resolve(e.getName().substring(LIB.length())));
                }
            }
            try {
                // Atomic, so a concurrent start never sees a half-extracted directory.
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteTree(staging);
                // Another JVM moved its copy there first (a non-empty target makes the move fail).
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
            return target;
        }
    }

    /** Deletes {@code dir} and everything in it; a missing directory is fine. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
