package io.iotgrid.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with {@code kubectl kustomize}, which works offline (no API server). The machine image
 * ships kubectl with kustomize v5; Debian's kubernetes-client (1.20, kustomize v2) cannot read the kustomization.
 */
final class Kustomize {

    private Kustomize() {
    }

    static String render(Path dir) throws IOException, InterruptedException {
        Path out = Files.createTempFile("kustomize", ".yaml");
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process kubectl;
            try {
                kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("kubectl (with kustomize v5) is needed to render " + dir
                        + " and was not found on the PATH", e);
            }
            if (!kubectl.waitFor(60, TimeUnit.SECONDS)) {
                kubectl.destroyForcibly().waitFor();
                throw new IllegalStateException("kubectl kustomize " + dir + " did not finish in 60 s");
            }
            if (kubectl.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed with exit code "
                        + kubectl.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
