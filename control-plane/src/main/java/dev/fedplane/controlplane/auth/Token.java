package dev.fedplane.controlplane.auth;

/** A token as stored: never its secret. {@code expiresAt} 0 means never. */
public record Token(
        String id,
        Kind kind,
        Role role,
        String tenant,
        String description,
        long createdAt,
        long expiresAt,
        int maxUses,
        int uses,
        boolean revoked,
        String createdBy) {

    public enum Kind {
        API,
        BOOTSTRAP
    }

    public boolean expiredAt(long nowMillis) {
        return expiresAt != 0 && nowMillis >= expiresAt;
    }
}
