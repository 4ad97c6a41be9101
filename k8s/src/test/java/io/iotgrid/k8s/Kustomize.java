package io.iotgrid.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with the kustomize binary the build downloads (system property
 * {@code kustomize.binary}, set by the module's pom), offline and without kubectl. Its output equals that of
 * {@code kubectl kustomize} for our manifests.
 */
final class Kustomize {

    private Kustomize() {
    }

    static String render(Path dir) throws IOException, InterruptedException {
        String binary = System.getProperty("kustomize.binary");
        if (binary == null || !Files.isRegularFile(Path.of(binary))) {
            throw new IllegalStateException("kustomize.binary must name the kustomize binary the k8s module's build"
                    + " downloads; got " + binary + " (run the tests through Maven)");
        }
        // Maven's unpacking does not keep the executable bit.
        Path.of(binary).toFile().setExecutable(true);
        Path out = Files.createTempFile("kustomize", ".yaml");
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process kustomize = new ProcessBuilder(binary, "build", dir.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!kustomize.waitFor(60, TimeUnit.SECONDS)) {
                kustomize.destroyForcibly().waitFor();
                throw new IllegalStateException("kustomize build " + dir + " did not finish in 60 s");
            }
            if (kustomize.exitValue() != 0) {
                throw new IllegalStateException("kustomize build " + dir + " failed with exit code "
                        + kustomize.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
