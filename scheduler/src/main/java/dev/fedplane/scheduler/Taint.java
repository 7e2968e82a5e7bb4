package dev.fedplane.scheduler;

/** A cluster taint: {@code key=value:effect}. A missing value is the empty string. */
public record Taint(String key, String value, TaintEffect effect) {

    public Taint {
        key = key == null ? "" : key;
        value = value == null ? "" : value;
        effect = effect == null ? TaintEffect.NoSchedule : effect;
    }

    public static Taint of(String key, String value, TaintEffect effect) {
        return new Taint(key, value, effect);
    }

    /** {@code dedicated=t2:NoSchedule}, or {@code dedicated:NoSchedule} without a value. */
    @Override
    public String toString() {
        return value.isEmpty() ? key + ":" + effect : key + "=" + value + ":" + effect;
    }
}
