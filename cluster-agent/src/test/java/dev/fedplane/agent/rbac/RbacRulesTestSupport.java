package dev.fedplane.agent.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the one object of a type from a multi-document manifest. */
final class RbacRulesTestSupport {
    private RbacRulesTestSupport() {}

    static <T extends HasMetadata> T read(Path manifest, Class<T> type) {
        try {
            for (String doc : Files.readString(manifest).split("(?m)^---\\s*$")) {
                if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
                    continue;
                }
                Object o = Serialization.unmarshal(doc);
                if (type.isInstance(o)) {
                    return type.cast(o);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no " + type.getSimpleName() + " in " + manifest);
    }
}
