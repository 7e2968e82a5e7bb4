package dev.fedplane.agent.apply;

/**
 * A managed object the drift resync had to write: one that was missing (deleted by hand), edited by
 * hand (a field the agent sets differed), or stray (managed, no longer desired, removed).
 *
 * @param kind {@code NetworkPolicy} or {@code ResourceQuota}
 * @param apiVersion the object's API version, for an Event's involvedObject
 * @param uid the object's uid after the correction (the new object's when recreated, the removed
 *     one's when removed); may be null
 */
public record DriftCorrection(
        String kind, String apiVersion, String namespace, String name, String uid, What what) {

    public enum What {
        RECREATED("was missing and was recreated"),
        RESTORED("had been edited and was restored"),
        REMOVED("was managed but not desired and was removed");

        private final String text;

        What(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One line for logs and Events. */
    public String message() {
        return kind + " " + namespace + "/" + name + " " + what.text();
    }
}
