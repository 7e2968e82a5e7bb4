package dev.fedplane.cli.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files under {@code src/test/resources/golden/}. With {@code -Dgolden.update=true} a
 * mismatch rewrites the file in the source tree (review the diff before committing) instead of
 * failing.
 */
public final class Golden {
    private Golden() {
    }

    public static void assertMatches(String name, String actual) {
        String expected;
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            expected = in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (Boolean.getBoolean("golden.update") && !actual.equals(expected)) {
            try {
                Path p = Path.of("src/test/resources/golden").resolve(name);
                Files.createDirectories(p.getParent());
                Files.writeString(p, actual);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        assertThat(expected).as("golden file golden/%s (run with -Dgolden.update=true to create it)", name).isNotNull();
        assertThat(actual).as("output against golden/%s", name).isEqualTo(expected);
    }
}
