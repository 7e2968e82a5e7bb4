package dev.fedplane.controlplane.placement;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.fedplane.controlplane.store.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The reconciler's last decision for an app, kept with the app: the shares per cluster, the hash of
 * the placement policy they were computed under (a different policy means a fresh placement, DESIGN
 * "Stability"), the app generation, and the explanation {@code ExplainApp} returns.
 */
public record StoredPlacement(
        String policyHash, long generation, Map<String, Integer> shares, Explanation explanation) {
    public StoredPlacement {
        shares = shares == null ? Map.of() : Map.copyOf(shares);
    }

    private static final TypeReference<List<Explanation.Decision>> VERDICTS =
            new TypeReference<>() {};

    /**
     * The stored form: JSON with the policy hash, generation, shares and the explanation's summary
     * in plain fields (readable with SQL), and the explanation's per-cluster verdicts, about 150
     * bytes a cluster and so nearly all of a placement at a thousand clusters, as deflated JSON in
     * base64 ({@code verdicts}). Rewriting a placement of about 190 KB (1,000 clusters) cost the
     * embedded store more than everything else a reconciler pass does (its commit reads the
     * replaced value back); the verdicts repeat names, reasons and notes and deflate about tenfold.
     */
    public String toJson() {
        if (explanation == null || explanation.clusters().isEmpty()) {
            return Json.write(new Stored(policyHash, generation, shares, explanation, null));
        }
        Explanation summary =
                new Explanation(
                        explanation.placements(),
                        explanation.unschedulable(),
                        explanation.unschedulableReason(),
                        List.of(),
                        explanation.generation(),
                        explanation.computedAt());
        return Json.write(
                new Stored(
                        policyHash,
                        generation,
                        shares,
                        summary,
                        deflate(Json.write(explanation.clusters()))));
    }

    /**
     * Reads the stored form (also the older one, whose verdicts are plain JSON in the explanation);
     * null for null or empty (no placement yet).
     */
    public static StoredPlacement fromJson(String json) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        Stored s = Json.read(json, Stored.class);
        Explanation e = s.explanation();
        if (s.verdicts() != null && e != null) {
            e =
                    new Explanation(
                            e.placements(),
                            e.unschedulable(),
                            e.unschedulableReason(),
                            Json.read(inflate(s.verdicts()), VERDICTS),
                            e.generation(),
                            e.computedAt());
        }
        return new StoredPlacement(s.policyHash(), s.generation(), s.shares(), e);
    }

    /** The JSON shape of the stored form. */
    record Stored(
            String policyHash,
            long generation,
            Map<String, Integer> shares,
            Explanation explanation,
            String verdicts) {}

    private static String deflate(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() / 8 + 64);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream out = new DeflaterOutputStream(bytes, deflater)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static String inflate(String base64) {
        try (InflaterInputStream in =
                new InflaterInputStream(
                        new java.io.ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("stored placement verdicts unreadable: " + e, e);
        }
    }
}
