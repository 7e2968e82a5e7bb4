package dev.fedplane.agent.drift;

import dev.fedplane.agent.apply.DriftCorrection;
import dev.fedplane.agent.apply.ManagedLabels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports each drift correction three ways: a WARN log line, a Kubernetes Event in the object's
 * namespace (involvedObject = the object, reason {@value #REASON}, type Warning, source component
 * {@value #COMPONENT}), and a cumulative counter the agent sends in every heartbeat ({@code
 * Heartbeat.drift_corrections_total}).
 *
 * <p>{@link #report} runs on the agent's loop thread; {@link #total()} may be read from any thread.
 * A failure to record the Event is logged and does not undo the count.
 */
public final class DriftReporter {

    public static final String REASON = "FedplaneDriftCorrected";
    public static final String COMPONENT = "fedplane-agent";
    private static final Logger log = LoggerFactory.getLogger(DriftReporter.class);

    private final KubernetesClient client;
    private final String clusterName;
    private final Clock clock;
    private final AtomicLong total = new AtomicLong();
    private long sequence;

    public DriftReporter(KubernetesClient client, String clusterName, Clock clock) {
        this.client = client;
        this.clusterName = clusterName;
        this.clock = clock;
    }

    public void report(DriftCorrection correction) {
        long count = total.incrementAndGet();
        log.warn(
                "drift corrected in cluster {}: {} (drift corrections so far: {})",
                clusterName,
                correction.message(),
                count);
        try {
            client.v1()
                    .events()
                    .inNamespace(correction.namespace())
                    .resource(event(correction))
                    .create();
        } catch (RuntimeException e) {
            log.warn(
                    "cannot record the drift event for {}/{}: {}",
                    correction.namespace(),
                    correction.name(),
                    e.toString());
        }
    }

    /** Drift corrections since the agent started. */
    public long total() {
        return total.get();
    }

    private Event event(DriftCorrection c) {
        Instant now = clock.instant();
        String timestamp =
                DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        // Named as kubectl and the controllers name events: <object>.<unique hex suffix>.
        String name =
                c.name()
                        + "."
                        + Long.toHexString(
                                now.toEpochMilli() * 1_000_000L + (sequence++ % 1_000_000L));
        return new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(c.namespace())
                .addToLabels(ManagedLabels.TENANT, c.namespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withKind(c.kind())
                .withApiVersion(c.apiVersion())
                .withNamespace(c.namespace())
                .withName(c.name())
                .withUid(c.uid())
                .endInvolvedObject()
                .withReason(REASON)
                .withMessage(c.message() + " by the Fedplane agent of cluster " + clusterName)
                .withType("Warning")
                .withNewSource()
                .withComponent(COMPONENT)
                .withHost(clusterName)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(clusterName)
                .withFirstTimestamp(timestamp)
                .withLastTimestamp(timestamp)
                .withCount(1)
                .build();
    }
}
