package dev.fedplane.cli.connect;

import dev.fedplane.cli.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The config file ({@code ~/.fedplane/config}, YAML), kubeconfig-like:
 *
 * <pre>
 * current-context: local
 * contexts:
 *   local:
 *     server: 127.0.0.1:9090
 *     token-file: /home/me/fedplane-data/admin.token
 *     tenant: shop
 *     plaintext: true
 * </pre>
 *
 * Written with mode 0600 (it may hold tokens). Immutable; {@link #save} writes a whole new file.
 */
public record FedctlConfig(String currentContext, Map<String, ContextEntry> contexts) {

    public static FedctlConfig empty() {
        return new FedctlConfig(null, Map.of());
    }

    public static FedctlConfig load(Path file) {
        if (!Files.exists(file)) {
            return empty();
        }
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException e) {
            throw new UsageException("cannot read config file " + file + ": " + e.getMessage());
        } catch (YAMLException e) {
            throw new UsageException(
                    "config file "
                            + file
                            + " is not valid YAML: "
                            + e.getMessage().replace('\n', ' '));
        }
        if (root == null) {
            return empty();
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new UsageException(
                    "config file "
                            + file
                            + ": expected a mapping with current-context and contexts");
        }
        Map<String, ContextEntry> contexts = new TreeMap<>();
        Object cs = map.get("contexts");
        if (cs instanceof Map<?, ?> cm) {
            for (Map.Entry<?, ?> e : cm.entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> c)) {
                    throw new UsageException(
                            "config file "
                                    + file
                                    + ": contexts."
                                    + e.getKey()
                                    + " must be a mapping");
                }
                contexts.put(
                        String.valueOf(e.getKey()),
                        new ContextEntry(
                                str(c, "server"),
                                str(c, "token"),
                                path(c, "token-file"),
                                str(c, "tenant"),
                                c.get("plaintext") == null
                                        ? null
                                        : Boolean.valueOf(String.valueOf(c.get("plaintext"))),
                                path(c, "tls-ca-file")));
            }
        } else if (cs != null) {
            throw new UsageException("config file " + file + ": contexts must be a mapping");
        }
        return new FedctlConfig(str(map, "current-context"), contexts);
    }

    private static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }

    private static Path path(Map<?, ?> m, String key) {
        String v = str(m, key);
        return v == null ? null : Path.of(v);
    }

    public FedctlConfig withContext(String name, ContextEntry update) {
        Map<String, ContextEntry> c = new TreeMap<>(contexts);
        c.put(name, c.getOrDefault(name, ContextEntry.EMPTY).merge(update));
        return new FedctlConfig(currentContext, c);
    }

    public FedctlConfig withCurrentContext(String name) {
        return new FedctlConfig(name, contexts);
    }

    public FedctlConfig withoutContext(String name) {
        Map<String, ContextEntry> c = new TreeMap<>(contexts);
        c.remove(name);
        return new FedctlConfig(name.equals(currentContext) ? null : currentContext, c);
    }

    public String toYaml() {
        Map<String, Object> root = new LinkedHashMap<>();
        if (currentContext != null) {
            root.put("current-context", currentContext);
        }
        Map<String, Object> cs = new LinkedHashMap<>();
        contexts.forEach(
                (name, c) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    if (c.server() != null) m.put("server", c.server());
                    if (c.token() != null) m.put("token", c.token());
                    if (c.tokenFile() != null) m.put("token-file", c.tokenFile().toString());
                    if (c.tenant() != null) m.put("tenant", c.tenant());
                    if (c.plaintext() != null) m.put("plaintext", c.plaintext());
                    if (c.tlsCaFile() != null) m.put("tls-ca-file", c.tlsCaFile().toString());
                    cs.put(name, m);
                });
        root.put("contexts", cs);
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(root);
    }

    /**
     * Writes the file (and its directory) with owner-only permissions where the file system has
     * them.
     */
    public void save(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".config", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(tmp, toYaml());
            Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write config file " + file, e);
        }
    }
}
