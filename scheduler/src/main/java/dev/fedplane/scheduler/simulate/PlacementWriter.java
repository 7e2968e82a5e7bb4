package dev.fedplane.scheduler.simulate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.fedplane.scheduler.ClusterDecision;
import dev.fedplane.scheduler.ClusterReplicas;
import dev.fedplane.scheduler.Placement;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Renders a {@link Placement} as DESIGN's output JSON, fields in a fixed order so that the same
 * placement always gives the same bytes: {@code placements} (name order), {@code unschedulable},
 * {@code unschedulableReason} (only when above 0), {@code clusters} (every input cluster in name
 * order: {@code cluster}, {@code feasible}, {@code filter} and {@code reason} when rejected, {@code
 * weight}, {@code fit}, {@code score} rounded to 4 decimals, {@code replicas}, and {@code note}
 * when there is one).
 */
final class PlacementWriter {

    private static final JsonFactory FACTORY = new JsonFactory();

    private PlacementWriter() {}

    static String write(Placement placement) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(pretty());
            g.writeStartObject();
            g.writeArrayFieldStart("placements");
            for (ClusterReplicas p : placement.placements()) {
                g.writeStartObject();
                g.writeStringField("cluster", p.cluster());
                g.writeNumberField("replicas", p.replicas());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("unschedulable", placement.unschedulable());
            if (placement.unschedulable() > 0) {
                g.writeStringField("unschedulableReason", placement.unschedulableReason());
            }
            g.writeArrayFieldStart("clusters");
            for (ClusterDecision d : placement.clusters()) {
                g.writeStartObject();
                g.writeStringField("cluster", d.cluster());
                g.writeBooleanField("feasible", d.feasible());
                if (!d.feasible()) {
                    g.writeStringField("filter", d.rejection().filter());
                    g.writeStringField("reason", d.reason());
                }
                g.writeNumberField("weight", d.weight());
                g.writeNumberField("fit", d.fit());
                g.writeNumberField("score", score(d.score()));
                g.writeNumberField("replicas", d.replicas());
                if (d.note() != null) {
                    g.writeStringField("note", d.note());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString() + "\n";
    }

    /** Top-level fields and array elements one per line; each cluster entry on one line. */
    private static DefaultPrettyPrinter pretty() {
        DefaultPrettyPrinter pretty =
                new DefaultPrettyPrinter()
                        .withSeparators(
                                Separators.createDefaultInstance()
                                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        pretty.indentObjectsWith(new LineIndenter(1));
        pretty.indentArraysWith(new LineIndenter(2));
        return pretty;
    }

    /** A new line up to a nesting level, a space deeper down. */
    private record LineIndenter(int maxLevel) implements DefaultPrettyPrinter.Indenter {
        @Override
        public void writeIndentation(JsonGenerator g, int level) throws IOException {
            if (level <= maxLevel) {
                g.writeRaw('\n');
                g.writeRaw("  ".repeat(level));
            } else {
                g.writeRaw(' ');
            }
        }

        @Override
        public boolean isInline() {
            return false;
        }
    }

    private static BigDecimal score(double value) {
        BigDecimal d =
                BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return d.signum() == 0 ? BigDecimal.ZERO : d;
    }
}
