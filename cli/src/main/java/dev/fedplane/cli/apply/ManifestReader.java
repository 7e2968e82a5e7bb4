package dev.fedplane.cli.apply;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.fedplane.cli.UsageException;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.Tenant;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads {@code fedctl apply} files: YAML or JSON (JSON is read as YAML, so line numbers hold for
 * both), one or many documents ({@code ---} between YAML documents, or a top-level list). Each
 * document is an {@code App} or a {@code Tenant} in the proto3 JSON mapping (lowerCamelCase or
 * snake_case keys), with an optional {@code kind: App | Tenant}; without one, a document with
 * {@code spec} or {@code tenant} is an App, any other a Tenant. This is exactly what {@code fedctl
 * get -o yaml|json} prints, so its output applies.
 *
 * <p>Every document is checked against the message's descriptor before anything is sent: an unknown
 * field, a wrong type, an enum name that does not exist, a repeated key fails with {@code
 * file:line: path: problem}.
 */
public final class ManifestReader {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern NUMBER =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private final String source;
    private Map<String, Integer> lines;

    private ManifestReader(String source) {
        this.source = source;
    }

    /** Every document of {@code text}; {@code source} names the file in messages. */
    public static List<Manifest> read(String source, String text) {
        return new ManifestReader(source).readAll(text);
    }

    /**
     * The one document of {@code text} as the message {@code builder} builds (e.g. a burst plan
     * file), checked the same way; a {@code kind} key, if any, must be {@code kind}. Fields named
     * {@code *_unix_millis} also take an RFC 3339 time ({@code 2026-11-11T00:00:00Z}) or a time
     * relative to {@code nowMillis} ({@code now}, {@code now+10m}, {@code now+2h}, {@code
     * now+90s}).
     */
    public static Manifest readAs(
            String source, String text, Message.Builder builder, String kind, long nowMillis) {
        ManifestReader r = new ManifestReader(source);
        r.now = nowMillis;
        List<Node> docs = r.compose(text);
        if (docs.size() != 1) {
            throw new UsageException(
                    source + ": expected one " + kind + " document, found " + docs.size());
        }
        Node doc = docs.get(0);
        if (!(doc instanceof MappingNode map)) {
            throw r.problem(doc, "", "expected a mapping (a " + kind + ")");
        }
        List<NodeTuple> fields = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            String key = r.scalarKey(t.getKeyNode(), "");
            if (key.equals("kind")) {
                if (!(t.getValueNode() instanceof ScalarNode s) || !s.getValue().equals(kind)) {
                    throw r.problem(t.getValueNode(), "kind", "must be " + kind);
                }
            } else {
                fields.add(t);
            }
        }
        r.lines = new HashMap<>();
        JsonObject json = new JsonObject();
        r.fields(fields, builder.getDescriptorForType(), "", "", json);
        try {
            PARSER.merge(json.toString(), builder);
        } catch (InvalidProtocolBufferException e) {
            throw r.problem(doc, "", "not a valid " + kind + ": " + e.getMessage());
        }
        return new Manifest(kind, builder.build(), source, r.line(doc), Map.copyOf(r.lines));
    }

    private long now = Long.MIN_VALUE;

    private static final Pattern RELATIVE = Pattern.compile("now(?:\\+(\\d+)([smhd]))?");

    /** An RFC 3339 time or now[+N(s|m|h|d)] as epoch millis; null when it is neither. */
    private Long time(String v) {
        java.util.regex.Matcher m = RELATIVE.matcher(v);
        if (m.matches() && now != Long.MIN_VALUE) {
            if (m.group(1) == null) {
                return now;
            }
            long n = Long.parseLong(m.group(1));
            long unit =
                    switch (m.group(2)) {
                        case "s" -> 1000L;
                        case "m" -> 60_000L;
                        case "h" -> 3_600_000L;
                        default -> 86_400_000L;
                    };
            return now + n * unit;
        }
        try {
            return java.time.OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private List<Manifest> readAll(String text) {
        List<Node> docs = compose(text);
        if (docs.isEmpty()) {
            throw new UsageException(source + ": no documents (expected an App or a Tenant)");
        }
        List<Manifest> manifests = new ArrayList<>();
        for (Node doc : docs) {
            manifests.add(document(doc));
        }
        return manifests;
    }

    private List<Node> compose(String text) {
        List<Node> docs = new ArrayList<>();
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            for (Node n : new Yaml(options).composeAll(new StringReader(text))) {
                if (n instanceof SequenceNode seq) {
                    docs.addAll(seq.getValue());
                } else if (n != null) {
                    docs.add(n);
                }
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new UsageException(
                    source
                            + (m == null ? "" : ":" + (m.getLine() + 1))
                            + ": not valid YAML or JSON: "
                            + (e.getProblem() != null
                                    ? e.getProblem()
                                    : e.getMessage().replace('\n', ' ')));
        } catch (YAMLException e) {
            throw new UsageException(
                    source + ": not valid YAML or JSON: " + e.getMessage().replace('\n', ' '));
        }
        return docs;
    }

    private int line(Node n) {
        return n.getStartMark().getLine() + 1;
    }

    private UsageException problem(Node at, String path, String message) {
        return new UsageException(
                source + ":" + line(at) + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    private Manifest document(Node doc) {
        if (!(doc instanceof MappingNode map)) {
            throw problem(doc, "", "expected a mapping (an App or a Tenant)");
        }
        String kind = null;
        Set<String> keys = new HashSet<>();
        List<NodeTuple> fields = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            String key = scalarKey(t.getKeyNode(), "");
            if (key.equals("kind")) {
                if (!(t.getValueNode() instanceof ScalarNode s)
                        || !(s.getValue().equals("App") || s.getValue().equals("Tenant"))) {
                    throw problem(t.getValueNode(), "kind", "must be App or Tenant");
                }
                kind = s.getValue();
            } else {
                keys.add(key);
                fields.add(t);
            }
        }
        if (kind == null) {
            kind = keys.contains("spec") || keys.contains("tenant") ? "App" : "Tenant";
        }
        Message.Builder builder = kind.equals("App") ? App.newBuilder() : Tenant.newBuilder();
        lines = new HashMap<>();
        JsonObject json = new JsonObject();
        fields(fields, builder.getDescriptorForType(), "", "", json);
        try {
            PARSER.merge(json.toString(), builder);
        } catch (InvalidProtocolBufferException e) {
            throw problem(doc, "", "not a valid " + kind + ": " + e.getMessage());
        }
        return new Manifest(kind, builder.build(), source, line(doc), Map.copyOf(lines));
    }

    private String scalarKey(Node key, String path) {
        if (!(key instanceof ScalarNode s)) {
            throw problem(key, path, "keys must be plain names");
        }
        return s.getValue();
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private void fields(
            List<NodeTuple> tuples,
            Descriptor type,
            String shown,
            String protoPath,
            JsonObject out) {
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : tuples) {
            String key = scalarKey(t.getKeyNode(), shown);
            FieldDescriptor f = type.findFieldByName(key);
            if (f == null) {
                f =
                        type.getFields().stream()
                                .filter(x -> x.getJsonName().equals(key))
                                .findFirst()
                                .orElse(null);
            }
            String shownPath = join(shown, key);
            if (f == null) {
                throw problem(
                        t.getKeyNode(),
                        shownPath,
                        "unknown field of "
                                + type.getName()
                                + " (known: "
                                + type.getFields().stream()
                                        .map(FieldDescriptor::getJsonName)
                                        .collect(Collectors.joining(", "))
                                + ")");
            }
            if (!seen.add(f.getName())) {
                throw problem(t.getKeyNode(), shownPath, "given twice");
            }
            Node value = t.getValueNode();
            if (isNull(value)) {
                continue;
            }
            String fieldPath = join(protoPath, f.getName());
            lines.put(fieldPath, line(t.getKeyNode()));
            if (f.isMapField()) {
                if (!(value instanceof MappingNode m)) {
                    throw problem(value, shownPath, "expected a mapping of keys to values");
                }
                FieldDescriptor valueField = f.getMessageType().findFieldByName("value");
                JsonObject o = new JsonObject();
                for (NodeTuple e : m.getValue()) {
                    String k = scalarKey(e.getKeyNode(), shownPath);
                    o.add(
                            k,
                            value(
                                    valueField,
                                    e.getValueNode(),
                                    shownPath + "." + k,
                                    fieldPath + "." + k));
                }
                out.add(f.getJsonName(), o);
            } else if (f.isRepeated()) {
                if (!(value instanceof SequenceNode s)) {
                    throw problem(value, shownPath, "expected a list");
                }
                JsonArray a = new JsonArray();
                for (int i = 0; i < s.getValue().size(); i++) {
                    Node item = s.getValue().get(i);
                    lines.put(fieldPath + "[" + i + "]", line(item));
                    a.add(value(f, item, shownPath + "[" + i + "]", fieldPath + "[" + i + "]"));
                }
                out.add(f.getJsonName(), a);
            } else {
                out.add(f.getJsonName(), value(f, value, shownPath, fieldPath));
            }
        }
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s
                && (s.getTag().equals(Tag.NULL)
                        || (s.getValue().isEmpty()
                                && s.getTag().equals(Tag.STR)
                                && s.getScalarStyle()
                                        == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN));
    }

    private JsonElement value(FieldDescriptor f, Node n, String shown, String protoPath) {
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            if (!(n instanceof MappingNode m)) {
                throw problem(
                        n, shown, "expected a mapping (" + f.getMessageType().getName() + ")");
            }
            JsonObject o = new JsonObject();
            fields(m.getValue(), f.getMessageType(), shown, protoPath, o);
            return o;
        }
        if (!(n instanceof ScalarNode s)) {
            throw problem(
                    n,
                    shown,
                    "expected a single value, not a "
                            + (n instanceof MappingNode ? "mapping" : "list"));
        }
        String v = s.getValue().strip();
        switch (f.getJavaType()) {
            case INT, LONG -> {
                if (f.getName().endsWith("_unix_millis")
                        && now != Long.MIN_VALUE
                        && !INTEGER.matcher(v).matches()) {
                    Long t = time(v);
                    if (t == null) {
                        throw problem(
                                n,
                                shown,
                                "must be a time: RFC 3339 (2026-11-11T00:00:00Z), now, now+10m,"
                                        + " or milliseconds since the epoch (got \""
                                        + v
                                        + "\")");
                    }
                    return new JsonPrimitive(t);
                }
                if (!INTEGER.matcher(v).matches()) {
                    throw problem(n, shown, "must be an integer (got \"" + v + "\")");
                }
                try {
                    if (f.getJavaType() == FieldDescriptor.JavaType.INT) {
                        Integer.parseInt(v);
                    } else {
                        Long.parseLong(v);
                    }
                } catch (NumberFormatException e) {
                    throw problem(n, shown, "is out of range (got " + v + ")");
                }
                return new JsonPrimitive(v);
            }
            case DOUBLE, FLOAT -> {
                if (!NUMBER.matcher(v).matches()) {
                    throw problem(n, shown, "must be a number (got \"" + v + "\")");
                }
                return new JsonPrimitive(Double.parseDouble(v));
            }
            case BOOLEAN -> {
                if (!v.equals("true") && !v.equals("false")) {
                    throw problem(n, shown, "must be true or false (got \"" + v + "\")");
                }
                return new JsonPrimitive(Boolean.parseBoolean(v));
            }
            case ENUM -> {
                EnumValueDescriptor e = f.getEnumType().findValueByName(v);
                if (e == null) {
                    throw problem(
                            n,
                            shown,
                            "\""
                                    + v
                                    + "\" is not one of "
                                    + f.getEnumType().getValues().stream()
                                            .map(EnumValueDescriptor::getName)
                                            .filter(x -> !x.endsWith("_UNSPECIFIED"))
                                            .collect(Collectors.joining(", ")));
                }
                return new JsonPrimitive(v);
            }
            default -> {
                return new JsonPrimitive(s.getValue());
            }
        }
    }
}
