package dev.ordersaga.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What k8s/README.md tells the platform team to create before applying an overlay: the table under the heading
 * "## 3. Secrets to create" (numbered or not), one row per Secret: | `name` | `key`, `key` ... | ... |.
 */
public final class OperatorDocs {

    private OperatorDocs() {
    }

    /** Secret name → the keys the docs list for it. */
    public static Map<String, Set<String>> secretsToCreate() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Kustomize.ROOT.resolve("k8s/README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        boolean inSection = false;
        Pattern code = Pattern.compile("`([^`]+)`");
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inSection = line.matches("## (\\d+\\. )?Secrets to create");
                continue;
            }
            if (!inSection || !line.startsWith("|")) {
                continue;
            }
            String[] cells = line.split("\\|");
            if (cells.length < 3) {
                continue;
            }
            Matcher name = code.matcher(cells[1]);
            if (!name.find()) {
                continue;
            }
            Set<String> keys = new TreeSet<>();
            Matcher key = code.matcher(cells[2]);
            while (key.find()) {
                keys.add(key.group(1));
            }
            secrets.put(name.group(1), keys);
        }
        if (secrets.isEmpty()) {
            throw new AssertionError("k8s/README.md has no table under a heading '## Secrets to create'");
        }
        return secrets;
    }
}
