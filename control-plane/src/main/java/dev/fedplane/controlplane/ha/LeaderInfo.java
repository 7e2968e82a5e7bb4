package dev.fedplane.controlplane.ha;

import java.util.Optional;

/** A leader: its instance id, the host:port agents dial on it, and its epoch. */
public record LeaderInfo(String id, String address, long epoch) {

    /** One control-plane instance: what it publishes as its candidate value. */
    public record Instance(String id, String address) {
        private static final char SEPARATOR = '\n';

        /** The value stored in the election (etcd key value, ZooKeeper participant id). */
        public String encode() {
            return id + SEPARATOR + address;
        }

        /** The instance an election value names; empty when the value is not ours. */
        public static Optional<Instance> decode(String value) {
            if (value == null) {
                return Optional.empty();
            }
            int i = value.indexOf(SEPARATOR);
            if (i <= 0 || i == value.length() - 1) {
                return Optional.empty();
            }
            return Optional.of(new Instance(value.substring(0, i), value.substring(i + 1)));
        }

        public LeaderInfo withEpoch(long epoch) {
            return new LeaderInfo(id, address, epoch);
        }
    }
}
