package io.iotgrid.submit;

import io.iotgrid.core.settings.Setting;
import io.iotgrid.core.settings.SettingGroup;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The option tables of the docs (README.md and every {@code docs/*.md}) and the settings' definitions cannot drift:
 * every {@link SettingGroup} declared in iot-grid's classes has exactly one table in one of them, marked
 * {@code <!-- settings: <group name> -->}, with the same keys and the same defaults, and every marked table belongs
 * to a group. A group whose settings all appear in another
 * group (the {@code job.*} keys a job's settings take in) needs no table of its own.
 */
class ReadmeOptionsTest {

    private static final String MARKER = "<!-- settings: ";

    @Test
    void when_readmeTablesComparedWithDefinitions_then_sameKeysAndDefaults() throws Exception {
        Map<String, SettingGroup> groups = declaredGroups();
        Map<String, Map<String, String>> tables = readmeTables(documents(Path.of("..")));

        assertThat(groups).as("settings groups found on the classpath").isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (SettingGroup group : groups.values()) {
            Map<String, String> table = tables.get(group.name());
            if (table == null) {
                if (!containedInAnother(group, groups.values())) {
                    problems.add("no README or docs page has a table marked " + MARKER + group.name() + " -->");
                }
                continue;
            }
            Map<String, String> expected = new LinkedHashMap<>();
            for (Setting<?> s : group.settings()) {
                if (s.partGroup() == null) {
                    expected.put(s.key(), s.defaultText());
                }
            }
            for (Map.Entry<String, String> e : expected.entrySet()) {
                if (!table.containsKey(e.getKey())) {
                    problems.add(group.name() + ": " + e.getKey() + " is declared but not in its table");
                } else if (!table.get(e.getKey()).equals(e.getValue())) {
                    problems.add(group.name() + ": " + e.getKey() + " defaults to '" + e.getValue()
                            + "' but its table says '" + table.get(e.getKey()) + "'");
                }
            }
            for (String key : table.keySet()) {
                if (!expected.containsKey(key)) {
                    problems.add(group.name() + ": its table lists " + key + ", which is not declared");
                }
            }
        }
        for (String name : tables.keySet()) {
            if (!groups.containsKey(name)) {
                problems.add("the table marked '" + name + "' belongs to no settings group");
            }
        }
        assertThat(problems).as("option tables of README.md and docs/ against the definitions").isEmpty();
    }

    @Test
    void when_keyMissingOrDefaultDiffers_then_comparisonReportsIt() throws Exception {
        Path readme = Files.createTempFile("readme", ".md");
        Files.writeString(readme, String.join("\n", "text", MARKER + "g -->", "| Key | Default | Meaning |",
                "|---|---|---|", "| `a.b` | `5s` | something |", "| `c` |  | other |", "", "more"));
        try {
            assertThat(readmeTables(List.of(readme))).containsExactly(Map.entry("g", Map.of("a.b", "5s", "c", "")));
        } finally {
            Files.delete(readme);
        }
    }

    private static boolean containedInAnother(SettingGroup group, Iterable<SettingGroup> all) {
        for (SettingGroup other : all) {
            if (other != group && group.settings().stream().allMatch(s -> other.find(s.key()) != null
                    && other.find(s.key()).defaultText().equals(s.defaultText()))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void when_sameTableMarkedInTwoPages_then_comparisonReportsIt() throws Exception {
        Path readme = Files.createTempFile("readme", ".md");
        Path page = Files.createTempFile("page", ".md");
        String table = String.join("\n", MARKER + "g -->", "| Key | Default | Meaning |", "|---|---|---|",
                "| `a.b` | `5s` | something |", "");
        Files.writeString(readme, table);
        Files.writeString(page, table);
        try {
            assertThatThrownBy(() -> readmeTables(List.of(readme, page))).hasMessageContaining("two tables g");
        } finally {
            Files.delete(readme);
            Files.delete(page);
        }
    }

    /** README.md and the pages of docs/, where option tables may live. */
    static List<Path> documents(Path root) throws IOException {
        List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> pages = Files.list(root.resolve("docs"))) {
            pages.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    /** Tables marked with {@link #MARKER} in any of {@code documents}, by group name: key to default, unquoted. */
    static Map<String, Map<String, String>> readmeTables(List<Path> documents) throws IOException {
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        for (Path document : documents) {
            readTables(document, tables);
        }
        return tables;
    }

    private static void readTables(Path document, Map<String, Map<String, String>> tables) throws IOException {
        List<String> lines = Files.readAllLines(document);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (!line.startsWith(MARKER)) {
                continue;
            }
            String name = line.substring(MARKER.length(), line.indexOf("-->")).trim();
            Map<String, String> rows = new LinkedHashMap<>();
            int row = i + 3;
            for (; row < lines.size() && lines.get(row).trim().startsWith("|"); row++) {
                String[] cells = lines.get(row).trim().split("\\|", -1);
                rows.put(unquote(cells[1]), unquote(cells[2]));
            }
            assertThat(tables.put(name, rows)).as("the docs mark two tables " + name + " (again in " + document + ")")
                                              .isNull();
        }
    }

    private static String unquote(String cell) {
        String t = cell.trim();
        return t.length() >= 2 && t.startsWith("`") && t.endsWith("`") ? t.substring(1, t.length() - 1) : t;
    }

    /** Every public static {@link SettingGroup} of iot-grid's classes on the test classpath, by name. */
    private static Map<String, SettingGroup> declaredGroups() throws Exception {
        Map<String, SettingGroup> groups = new LinkedHashMap<>();
        for (String className : iotGridClasses()) {
            Class<?> type = Class.forName(className, true, ReadmeOptionsTest.class.getClassLoader());
            for (Field f : type.getDeclaredFields()) {
                if (f.getType() == SettingGroup.class && Modifier.isStatic(f.getModifiers())
                        && Modifier.isPublic(f.getModifiers())) {
                    SettingGroup g = (SettingGroup) f.get(null);
                    SettingGroup before = groups.put(g.name(), g);
                    assertThat(before == null || before == g).as("two groups named " + g.name()).isTrue();
                }
            }
        }
        return groups;
    }

    private static TreeSet<String> iotGridClasses() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path) && path.toString().contains("classes")
                    && !path.toString().contains("test-classes")) {
                try (Stream<Path> files = Files.walk(path)) {
                    files.map(p -> path.relativize(p).toString())
                         .filter(p -> p.startsWith("io/iotgrid/") && p.endsWith(".class") && !p.contains("$"))
                         .forEach(p -> names.add(p.substring(0, p.length() - 6).replace('/', '.')));
                }
            } else if (path.getFileName().toString().startsWith("iot-grid-") && entry.endsWith(".jar")
                    && !entry.endsWith("-tests.jar")) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String p = e.nextElement().getName();
                        if (p.startsWith("io/iotgrid/") && p.endsWith(".class") && !p.contains("$")) {
                            names.add(p.substring(0, p.length() - 6).replace('/', '.'));
                        }
                    }
                }
            }
        }
        return names;
    }
}
