package io.iotgrid.submit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands of README.md and docs/ that a test runs: each fenced {@code bash} block preceded by a marker
 * {@code <!-- runnable: ROLE[; "text" -> "replacement"]... -->}, ROLE being {@code demo} (the demo: started, and
 * left to end by its {@code --duration}), {@code beside demo} (run while the demo runs) or {@code alone}. A
 * replacement shortens a command for the test (a two-minute {@code --duration}). Commands starting with {@code mvn}
 * are not run: the build that runs the test has already built what they build.
 */
record GuideCommands(Path document, int line, String role, List<String> commands) {

    static final String DEMO = "demo";
    static final String BESIDE_DEMO = "beside demo";
    static final String ALONE = "alone";

    private static final Pattern MARKER = Pattern.compile("<!-- runnable: (demo|beside demo|alone)(.*?) -->");
    private static final Pattern REPLACEMENT = Pattern.compile("; \"([^\"]*)\" -> \"([^\"]*)\"");

    /** The runnable blocks of {@code documents}, in order. */
    static List<GuideCommands> read(List<Path> documents) throws IOException {
        List<GuideCommands> blocks = new ArrayList<>();
        for (Path document : documents) {
            List<String> lines = Files.readAllLines(document);
            for (int i = 0; i < lines.size(); i++) {
                Matcher marker = MARKER.matcher(lines.get(i).trim());
                if (marker.matches()) {
                    blocks.add(block(document, lines, i, marker.group(1), replacements(document, i, marker.group(2))));
                }
            }
        }
        return blocks;
    }

    private static Map<String, String> replacements(Path document, int line, String text) {
        Map<String, String> replacements = new LinkedHashMap<>();
        Matcher m = REPLACEMENT.matcher(text);
        int end = 0;
        while (m.find() && m.start() == end) {
            replacements.put(m.group(1), m.group(2));
            end = m.end();
        }
        if (end != text.length()) {
            throw new IllegalArgumentException(document + ":" + (line + 1) + ": cannot read the replacements '"
                    + text + "'; write them as ; \"text\" -> \"replacement\"");
        }
        return replacements;
    }

    private static GuideCommands block(Path document, List<String> lines, int marker, String role,
                                       Map<String, String> replacements) {
        if (marker + 1 >= lines.size() || !lines.get(marker + 1).trim().equals("```bash")) {
            throw new IllegalArgumentException(document + ":" + (marker + 1)
                    + ": a runnable marker must be followed by a ```bash block");
        }
        List<String> commands = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        int i = marker + 2;
        for (; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
            String line = lines.get(i).trim();
            if (line.endsWith("\\")) {
                command.append(line.substring(0, line.length() - 1).stripTrailing()).append(' ');
                continue;
            }
            command.append(line);
            String whole = command.toString().trim();
            command.setLength(0);
            if (whole.isEmpty() || whole.startsWith("#")) {
                continue;
            }
            for (String part : whole.split(" && ")) {
                String run = part.trim();
                for (Map.Entry<String, String> r : replacements.entrySet()) {
                    run = run.replace(r.getKey(), r.getValue());
                }
                if (!run.startsWith("mvn ")) {
                    commands.add(run);
                }
            }
        }
        if (i == lines.size()) {
            throw new IllegalArgumentException(document + ":" + (marker + 2) + ": the ```bash block never ends");
        }
        for (String text : replacements.keySet()) {
            if (lines.subList(marker + 2, i).stream().noneMatch(l -> l.contains(text))) {
                throw new IllegalArgumentException(document + ":" + (marker + 1) + ": the block has no '" + text
                        + "' to replace");
            }
        }
        return new GuideCommands(document, marker + 1, role, List.copyOf(commands));
    }

    @Override
    public String toString() {
        return document.getFileName() + ":" + line + " (" + role + ")";
    }
}
