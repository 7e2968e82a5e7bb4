package dev.fedplane.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The user documentation in {@code docs/} links only to files of this repository, and they exist.
 */
class DocsLinksTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    @DisplayName(
            "every link in docs/ is relative, stays inside the repository and names a file that exists")
    void linksStayInTheRepository() throws IOException {
        List<Path> pages;
        try (Stream<Path> files = Files.list(REPO.resolve("docs"))) {
            pages = files.filter(f -> f.toString().endsWith(".md")).toList();
        }
        assertThat(pages).isNotEmpty();
        List<String> bad = new ArrayList<>();
        for (Path page : pages) {
            String text = Files.readString(page);
            // The team's folder beside the repository is not in users' clones (spelled in two parts
            // so that a search for links to it does not find this test).
            String outside = ".." + "/shared";
            if (text.contains(outside)) {
                bad.add(page.getFileName() + ": mentions " + outside);
            }
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                String file =
                        target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    bad.add(page.getFileName() + ": outside link " + target);
                } else if (!file.isEmpty()) {
                    Path resolved = page.getParent().resolve(file).normalize();
                    if (!resolved.startsWith(REPO) || !Files.exists(resolved)) {
                        bad.add(page.getFileName() + ": no such file in the repository " + target);
                    }
                }
            }
        }
        assertThat(bad).isEmpty();
    }
}
