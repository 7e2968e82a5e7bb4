package dev.fedplane.controlplane.auth;

import dev.fedplane.controlplane.common.FedplaneException;

/** Authorisation checks shared by every feature; each throws PERMISSION_DENIED with the reason. */
public final class Access {
    private Access() {}

    public static void requirePlatformAdmin(Principal p) {
        if (!p.isPlatformAdmin()) {
            throw FedplaneException.permissionDenied(
                    "this call needs the platform-admin role; token "
                            + p.tokenId()
                            + " has "
                            + p.role().wireName());
        }
    }

    public static void requireRead(Principal p, String tenant) {
        if (!p.canRead(tenant)) {
            throw FedplaneException.permissionDenied(
                    "token " + p.tokenId() + " may not read tenant " + tenant);
        }
    }

    public static void requireWrite(Principal p, String tenant) {
        if (!p.canWrite(tenant)) {
            if (p.canRead(tenant)) {
                throw FedplaneException.permissionDenied(
                        "the tenant-viewer role may not write; token "
                                + p.tokenId()
                                + " is read-only");
            }
            throw FedplaneException.permissionDenied(
                    "token " + p.tokenId() + " may not write tenant " + tenant);
        }
    }
}
