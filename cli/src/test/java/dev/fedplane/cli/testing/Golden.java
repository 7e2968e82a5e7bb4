package dev.fedplane.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files in {@code src/test/resources/golden/}, read from the source tree (tests run in the
 * module directory), so a stale copy under {@code target/} never stands in for them. With {@code
 * -Dgolden.update=true} a missing or different file is rewritten (review the diff before
 * committing) instead of failing.
 */
public final class Golden {
    static final Path DIR = Path.of("src/test/resources/golden");

    private Golden() {}

    public static void assertMatches(String name, String actual) {
        Path file = DIR.resolve(name);
        try {
            String expected = Files.exists(file) ? Files.readString(file) : null;
            if (Boolean.getBoolean("golden.update") && !actual.equals(expected)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual);
                return;
            }
            assertThat(expected)
                    .as("golden file %s (run with -Dgolden.update=true to create it)", file)
                    .isNotNull();
            assertThat(actual).as("output against %s", file).isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
