package dev.fedplane.controlplane.common;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects every invalid field of one request so the client sees them all at once; {@link
 * #throwIfAny()} raises one {@link FedplaneException} with {@code INVALID_ARGUMENT}. Not
 * thread-safe: one per request.
 */
public final class Violations {
    private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    /** Kubernetes label keys: optional DNS subdomain prefix and a name of at most 63 characters. */
    private static final Pattern LABEL_KEY =
            Pattern.compile(
                    "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    private static final Pattern LABEL_VALUE =
            Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    private final List<FedplaneException.FieldViolation> list = new ArrayList<>();

    public Violations add(String field, String description) {
        list.add(new FedplaneException.FieldViolation(field, description));
        return this;
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw FedplaneException.invalid(list);
        }
    }

    /** A DNS-1123 label: what Kubernetes accepts as a namespace or object name. */
    public static boolean isDns1123Label(String s) {
        return s != null && !s.isEmpty() && s.length() <= 63 && DNS_1123_LABEL.matcher(s).matches();
    }

    public Violations requireDns1123Label(String field, String value) {
        if (value == null || value.isEmpty()) {
            return add(field, "is required");
        }
        if (!isDns1123Label(value)) {
            return add(
                    field,
                    "must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters, "
                            + "starting and ending with a letter or digit), got \""
                            + abbreviate(value)
                            + "\"");
        }
        return this;
    }

    public Violations requireNonNegative(String field, long value) {
        if (value < 0) {
            add(field, "must not be negative, got " + value);
        }
        return this;
    }

    public Violations checkLabels(String field, java.util.Map<String, String> labels) {
        labels.forEach(
                (k, v) -> {
                    if (k.length() > 253 || !LABEL_KEY.matcher(k).matches()) {
                        add(field + "[" + abbreviate(k) + "]", "is not a valid label key");
                    } else if (!LABEL_VALUE.matcher(v).matches()) {
                        add(
                                field + "[" + k + "]",
                                "is not a valid label value: \"" + abbreviate(v) + "\"");
                    }
                });
        return this;
    }

    public static boolean isLabelKey(String k) {
        return k != null && k.length() <= 253 && LABEL_KEY.matcher(k).matches();
    }

    public static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
