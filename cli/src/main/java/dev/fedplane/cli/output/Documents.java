package dev.fedplane.cli.output;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Messages as documents: the proto3 JSON mapping ({@link JsonFormat}, lowerCamelCase names, default
 * values left out, 64-bit integers as strings), and the same tree as block YAML. Both read back
 * with {@code JsonFormat.parser()} (YAML after conversion), and {@code fedctl apply} takes them.
 */
public final class Documents {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer();

    private Documents() {}

    public static String json(MessageOrBuilder m) {
        try {
            return PRINTER.print(m) + "\n";
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(
                    "cannot print " + m.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static String yaml(MessageOrBuilder m) {
        return jsonToYaml(json(m));
    }

    /** JSON text (a YAML subset) rewritten as block YAML with keys in their order. */
    public static String jsonToYaml(String json) {
        Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(json);
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndicatorIndent(2);
        o.setIndentWithIndicator(true);
        return new Yaml(o).dump(tree);
    }

    public static String render(MessageOrBuilder m, OutputFormat format) {
        return format == OutputFormat.YAML ? yaml(m) : json(m);
    }
}
