package dev.fedplane.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders this repository's Helm charts without Helm (no {@code helm} binary can be installed
 * here): a strict subset of Helm's Go templates, enough for the charts in {@code deploy/helm} and
 * nothing more. Anything outside the subset is an error, never output: an unknown function or
 * action, parentheses, variables, a value path missing from {@code values.yaml}, a map or list
 * printed as text, an unclosed block.
 *
 * <p>The subset: text with actions {@code {{ … }}}, trim markers {@code {{-} and {@code -}}};
 * actions {@code if}/{@code else}/{@code end}, {@code with} and {@code range} (over a list; dot is
 * the element); pipelines {@code a | f b}; operands {@code .Values.x.y}, {@code .Release.Name},
 * {@code .Release.Namespace}, {@code .Chart.Name/Version/AppVersion}, {@code .} and {@code .x}
 * relative to dot, {@code $.path} from the root, {@code "strings"} and integers; functions {@code
 * quote}, {@code default}, {@code eq}, {@code ne}, {@code not}, {@code toYaml}, {@code indent},
 * {@code nindent}. Rendered documents come out in Helm's install order of kinds, each under {@code
 * # Source: <chart>/templates/<file>}, as {@code helm template} prints them.
 */
public final class HelmTemplate {
    /**
     * Helm's install order (pkg/releaseutil/kind_sorter.go), the kinds our charts use and their
     * neighbours.
     */
    private static final List<String> INSTALL_ORDER =
            List.of(
                    "Namespace",
                    "NetworkPolicy",
                    "ResourceQuota",
                    "LimitRange",
                    "PodSecurityPolicy",
                    "PodDisruptionBudget",
                    "ServiceAccount",
                    "Secret",
                    "SecretList",
                    "ConfigMap",
                    "StorageClass",
                    "PersistentVolume",
                    "PersistentVolumeClaim",
                    "CustomResourceDefinition",
                    "ClusterRole",
                    "ClusterRoleList",
                    "ClusterRoleBinding",
                    "ClusterRoleBindingList",
                    "Role",
                    "RoleList",
                    "RoleBinding",
                    "RoleBindingList",
                    "Service",
                    "DaemonSet",
                    "Pod",
                    "ReplicationController",
                    "ReplicaSet",
                    "Deployment",
                    "HorizontalPodAutoscaler",
                    "StatefulSet",
                    "Job",
                    "CronJob",
                    "IngressClass",
                    "Ingress",
                    "APIService");

    private HelmTemplate() {}

    /**
     * A failure to render: the template uses something outside the subset, or a value is missing.
     */
    public static final class RenderException extends RuntimeException {
        RenderException(String message) {
            super(message);
        }
    }

    /**
     * Renders every template of the chart in {@code chartDir} with its {@code values.yaml} overlaid
     * by {@code overrides} (maps merge, anything else replaces), as release {@code release} in
     * {@code namespace}.
     */
    public static String renderChart(
            Path chartDir, String release, String namespace, Map<String, Object> overrides) {
        Map<String, Object> chart = load(chartDir.resolve("Chart.yaml"));
        Map<String, Object> values = merge(load(chartDir.resolve("values.yaml")), overrides);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("Values", values);
        root.put("Release", Map.of("Name", release, "Namespace", namespace, "Service", "Helm"));
        root.put(
                "Chart",
                Map.of(
                        "Name",
                        chart.get("name"),
                        "Version",
                        String.valueOf(chart.get("version")),
                        "AppVersion",
                        String.valueOf(chart.get("appVersion"))));
        List<Document> docs = new ArrayList<>();
        List<Path> templates;
        try (Stream<Path> files = Files.list(chartDir.resolve("templates"))) {
            templates =
                    files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                            .sorted()
                            .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path t : templates) {
            String source = chart.get("name") + "/templates/" + t.getFileName();
            String text;
            try {
                text = render(Files.readString(t), root);
            } catch (RenderException e) {
                throw new RenderException(source + ": " + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String doc : text.split("(?m)^---\\s*$")) {
                if (!stripComments(doc).isBlank()) {
                    docs.add(new Document(source, kind(doc, source), doc.strip()));
                }
            }
        }
        // Stable sort: by install order of the kind, then as the files and documents came.
        List<Document> ordered = new ArrayList<>(docs);
        ordered.sort((a, b) -> Integer.compare(rank(a.kind()), rank(b.kind())));
        StringBuilder out = new StringBuilder();
        for (Document d : ordered) {
            out.append("---\n# Source: ")
                    .append(d.source())
                    .append('\n')
                    .append(d.body())
                    .append('\n');
        }
        return out.toString();
    }

    private record Document(String source, String kind, String body) {}

    private static int rank(String kind) {
        int i = INSTALL_ORDER.indexOf(kind);
        return i < 0 ? INSTALL_ORDER.size() : i;
    }

    private static String stripComments(String doc) {
        StringBuilder b = new StringBuilder();
        for (String line : doc.split("\n")) {
            if (!line.strip().startsWith("#")) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    private static String kind(String doc, String source) {
        Object parsed = new Yaml().load(doc);
        if (!(parsed instanceof Map<?, ?> m) || !(m.get("kind") instanceof String k)) {
            throw new RenderException(source + ": a rendered document without a kind:\n" + doc);
        }
        return k;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Path file) {
        try {
            Object o = new Yaml().load(Files.readString(file));
            return o == null ? new LinkedHashMap<>() : (Map<String, Object>) o;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            Object old = out.get(e.getKey());
            if (old instanceof Map<?, ?> om && e.getValue() instanceof Map<?, ?> nm) {
                out.put(e.getKey(), merge((Map<String, Object>) om, (Map<String, Object>) nm));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ templates

    /**
     * Renders one template text against {@code root} (the object {@code .} and {@code $} start
     * from).
     */
    public static String render(String template, Map<String, Object> root) {
        List<Node> nodes = parse(tokenize(template));
        StringBuilder out = new StringBuilder();
        exec(nodes, root, root, out);
        return out.toString();
    }

    private sealed interface Token permits Text, Action {}

    private record Text(String text) implements Token {}

    private record Action(String body) implements Token {}

    private static List<Token> tokenize(String t) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        boolean trimNext = false;
        while (i < t.length()) {
            int open = t.indexOf("{{", i);
            String text = open < 0 ? t.substring(i) : t.substring(i, open);
            if (trimNext) {
                text = text.stripLeading();
            }
            if (open < 0) {
                tokens.add(new Text(text));
                break;
            }
            int close = t.indexOf("}}", open);
            if (close < 0) {
                throw new RenderException(
                        "an action that never closes: "
                                + t.substring(open, Math.min(t.length(), open + 40)));
            }
            String body = t.substring(open + 2, close);
            if (body.startsWith("-")) {
                if (!body.startsWith("- ")) {
                    throw new RenderException(
                            "'{{-' must be followed by a space: {{" + body + "}}");
                }
                text = text.stripTrailing();
                body = body.substring(1);
            }
            trimNext = false;
            if (body.endsWith("-")) {
                if (!body.endsWith(" -")) {
                    throw new RenderException("'-}}' must follow a space: {{" + body + "}}");
                }
                trimNext = true;
                body = body.substring(0, body.length() - 1);
            }
            tokens.add(new Text(text));
            tokens.add(new Action(body.strip()));
            i = close + 2;
        }
        return tokens;
    }

    private sealed interface Node permits TextNode, Output, Block {}

    private record TextNode(String text) implements Node {}

    private record Output(String pipeline) implements Node {}

    /** {@code if}, {@code with} or {@code range} with its body and else-branch. */
    private record Block(String keyword, String pipeline, List<Node> body, List<Node> otherwise)
            implements Node {}

    private static List<Node> parse(List<Token> tokens) {
        Deque<List<Node>> stack = new ArrayDeque<>();
        Deque<String[]> open = new ArrayDeque<>(); // keyword, pipeline, state (body|else)
        Deque<List<Node>> bodies = new ArrayDeque<>();
        List<Node> current = new ArrayList<>();
        for (Token tok : tokens) {
            if (tok instanceof Text text) {
                if (!text.text().isEmpty()) {
                    current.add(new TextNode(text.text()));
                }
                continue;
            }
            String a = ((Action) tok).body();
            String word = a.split("\\s+", 2)[0];
            switch (word) {
                case "if", "with", "range" -> {
                    String pipe = a.substring(word.length()).strip();
                    if (pipe.isEmpty()) {
                        throw new RenderException("'" + word + "' without a pipeline");
                    }
                    stack.push(current);
                    open.push(new String[] {word, pipe, "body"});
                    current = new ArrayList<>();
                }
                case "else" -> {
                    if (open.isEmpty() || !a.equals("else") || open.peek()[2].equals("else")) {
                        throw new RenderException("unsupported or misplaced: {{ " + a + " }}");
                    }
                    open.peek()[2] = "else";
                    bodies.push(current);
                    current = new ArrayList<>();
                }
                case "end" -> {
                    if (open.isEmpty()) {
                        throw new RenderException("'end' without a block");
                    }
                    String[] b = open.pop();
                    List<Node> body = b[2].equals("else") ? bodies.pop() : current;
                    List<Node> otherwise = b[2].equals("else") ? current : List.of();
                    current = stack.pop();
                    current.add(new Block(b[0], b[1], body, otherwise));
                }
                default -> {
                    if (a.startsWith("/*")
                            || List.of(
                                            "define",
                                            "template",
                                            "block",
                                            "include",
                                            "tpl",
                                            "break",
                                            "continue")
                                    .contains(word)) {
                        throw new RenderException("unsupported action: {{ " + a + " }}");
                    }
                    current.add(new Output(a));
                }
            }
        }
        if (!open.isEmpty()) {
            throw new RenderException(
                    "'" + open.peek()[0] + " " + open.peek()[1] + "' is never closed with 'end'");
        }
        return current;
    }

    private static void exec(
            List<Node> nodes, Object dot, Map<String, Object> root, StringBuilder out) {
        for (Node n : nodes) {
            if (n instanceof TextNode t) {
                out.append(t.text());
            } else if (n instanceof Output o) {
                out.append(text(pipeline(o.pipeline(), dot, root), o.pipeline()));
            } else if (n instanceof Block b) {
                Object v = pipeline(b.pipeline(), dot, root);
                switch (b.keyword()) {
                    case "if" -> exec(truthy(v) ? b.body() : b.otherwise(), dot, root, out);
                    case "with" ->
                            exec(
                                    truthy(v) ? b.body() : b.otherwise(),
                                    truthy(v) ? v : dot,
                                    root,
                                    out);
                    case "range" -> {
                        if (v != null && !(v instanceof List<?>)) {
                            throw new RenderException(
                                    "range over something that is not a list: " + b.pipeline());
                        }
                        List<?> items = v == null ? List.of() : (List<?>) v;
                        if (items.isEmpty()) {
                            exec(b.otherwise(), dot, root, out);
                        }
                        for (Object item : items) {
                            exec(b.body(), item, root, out);
                        }
                    }
                    default -> throw new IllegalStateException(b.keyword());
                }
            }
        }
    }

    private static String text(Object v, String pipeline) {
        if (v == null) {
            throw new RenderException("no value for {{ " + pipeline + " }}");
        }
        if (v instanceof Map<?, ?> || v instanceof Collection<?>) {
            throw new RenderException(
                    "a map or list printed as text (use toYaml): {{ " + pipeline + " }}");
        }
        return String.valueOf(v);
    }

    static boolean truthy(Object v) {
        if (v == null || Boolean.FALSE.equals(v)) {
            return false;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Number num) {
            return num.doubleValue() != 0;
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        return true;
    }

    // ------------------------------------------------------------------ pipelines

    private static Object pipeline(String text, Object dot, Map<String, Object> root) {
        if (text.contains("(") || text.contains(")")) {
            throw new RenderException("parentheses are not supported: " + text);
        }
        if (text.contains(":=") || text.matches(".*\\$[A-Za-z].*")) {
            throw new RenderException("variables are not supported: " + text);
        }
        Object value = null;
        boolean first = true;
        for (String command : splitPipes(text)) {
            List<String> words = words(command.strip());
            if (words.isEmpty()) {
                throw new RenderException("an empty command in: " + text);
            }
            List<Object> args = new ArrayList<>();
            for (String w : words.subList(1, words.size())) {
                args.add(operand(w, dot, root));
            }
            if (!first) {
                args.add(value);
            }
            String head = words.get(0);
            if (isOperand(head)) {
                if (words.size() > 1 || !first) {
                    throw new RenderException("not a function: " + head + " in " + text);
                }
                value = operand(head, dot, root);
            } else {
                value = call(head, args, text);
            }
            first = false;
        }
        return value;
    }

    private static List<String> splitPipes(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == '|' && !quoted) {
                parts.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        parts.add(b.toString());
        return parts;
    }

    private static List<String> words(String command) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < command.length()) {
            char c = command.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int j = i + 1;
                while (j < command.length()
                        && (command.charAt(j) != '"' || command.charAt(j - 1) == '\\')) {
                    j++;
                }
                if (j >= command.length()) {
                    throw new RenderException("an unclosed string in: " + command);
                }
                out.add(command.substring(i, j + 1));
                i = j + 1;
            } else {
                int j = i;
                while (j < command.length() && !Character.isWhitespace(command.charAt(j))) {
                    j++;
                }
                out.add(command.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    private static boolean isOperand(String w) {
        return w.startsWith(".")
                || w.startsWith("$")
                || w.startsWith("\"")
                || w.matches("-?[0-9]+")
                || w.equals("true")
                || w.equals("false");
    }

    private static Object operand(String w, Object dot, Map<String, Object> root) {
        if (w.startsWith("\"")) {
            return w.substring(1, w.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        if (w.matches("-?[0-9]+")) {
            return Long.parseLong(w);
        }
        if (w.equals("true") || w.equals("false")) {
            return Boolean.parseBoolean(w);
        }
        if (w.equals(".")) {
            return dot;
        }
        if (w.equals("$")) {
            return root;
        }
        if (w.startsWith("$.")) {
            return path(root, w.substring(2), w);
        }
        if (w.startsWith(".")) {
            return path(dot, w.substring(1), w);
        }
        throw new RenderException("not understood: " + w);
    }

    private static Object path(Object from, String path, String whole) {
        Object v = from;
        for (String key : path.split("\\.")) {
            if (!(v instanceof Map<?, ?> m) || !m.containsKey(key)) {
                throw new RenderException(
                        "no such value: "
                                + whole
                                + " (every value a template reads must be in values.yaml)");
            }
            v = m.get(key);
        }
        return v;
    }

    private static Object call(String function, List<Object> args, String text) {
        switch (function) {
            case "quote" -> {
                arity(function, args, 1, text);
                Object v = args.get(0);
                String s = v == null ? "" : String.valueOf(v);
                return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
            case "default" -> {
                arity(function, args, 2, text);
                return truthy(args.get(1)) ? args.get(1) : args.get(0);
            }
            case "eq" -> {
                arity(function, args, 2, text);
                return Objects.equals(args.get(0), args.get(1));
            }
            case "ne" -> {
                arity(function, args, 2, text);
                return !Objects.equals(args.get(0), args.get(1));
            }
            case "not" -> {
                arity(function, args, 1, text);
                return !truthy(args.get(0));
            }
            case "toYaml" -> {
                arity(function, args, 1, text);
                return toYaml(args.get(0));
            }
            case "indent", "nindent" -> {
                arity(function, args, 2, text);
                if (!(args.get(0) instanceof Long n)) {
                    throw new RenderException(
                            function + " needs a number of spaces first: " + text);
                }
                String pad = " ".repeat(n.intValue());
                String body = pad + String.valueOf(args.get(1)).replace("\n", "\n" + pad);
                return function.equals("nindent") ? "\n" + body : body;
            }
            default ->
                    throw new RenderException(
                            "unsupported function '" + function + "' in: " + text);
        }
    }

    private static void arity(String function, List<Object> args, int n, String text) {
        if (args.size() != n) {
            throw new RenderException(
                    function + " takes " + n + " argument(s), got " + args.size() + ": " + text);
        }
    }

    /** Helm's toYaml: block style, map keys sorted, no trailing newline. */
    static String toYaml(Object v) {
        if (v == null) {
            return "null";
        }
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndicatorIndent(0);
        o.setIndent(2);
        o.setWidth(Integer.MAX_VALUE);
        return new Yaml(o).dump(sorted(v)).stripTrailing();
    }

    private static Object sorted(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), sorted(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(HelmTemplate::sorted).toList();
        }
        return v;
    }
}
