package dev.fedplane.scheduler;

/**
 * A toleration of the app. {@code effect} null tolerates every effect; {@code operator} null is
 * {@link TolerationOperator#Equal}; with {@code Exists} and an empty key it tolerates every taint.
 */
public record Toleration(
        String key, TolerationOperator operator, String value, TaintEffect effect) {

    public Toleration {
        key = key == null ? "" : key;
        operator = operator == null ? TolerationOperator.Equal : operator;
        value = value == null ? "" : value;
    }

    public static Toleration equal(String key, String value, TaintEffect effect) {
        return new Toleration(key, TolerationOperator.Equal, value, effect);
    }

    public static Toleration exists(String key, TaintEffect effect) {
        return new Toleration(key, TolerationOperator.Exists, "", effect);
    }

    /** Whether this toleration tolerates the taint. */
    public boolean tolerates(Taint taint) {
        if (effect != null && effect != taint.effect()) {
            return false;
        }
        if (operator == TolerationOperator.Exists) {
            return key.isEmpty() || key.equals(taint.key());
        }
        return key.equals(taint.key()) && value.equals(taint.value());
    }
}
