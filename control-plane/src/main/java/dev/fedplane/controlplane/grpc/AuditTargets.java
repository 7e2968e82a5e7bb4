package dev.fedplane.controlplane.grpc;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import java.util.Locale;

/**
 * Reads what a write request is about from its fields, by the contract's naming rules: a string
 * {@code tenant}, a string {@code name}/{@code id}/{@code cluster_name}, or a nested object message
 * ({@code tenant}, {@code app}, {@code cluster}) holding them.
 */
final class AuditTargets {
    record Target(String tenant, String description) {}

    private AuditTargets() {}

    static Target of(String fullMethodName, Message request) {
        String service =
                fullMethodName.substring("fedplane.v1.".length(), fullMethodName.indexOf('/'));
        String kind = service.replace("Service", "").toLowerCase(Locale.ROOT);
        if (request == null) {
            return new Target(null, kind);
        }
        String tenant = string(request, "tenant");
        String name = first(request, "name", "id", "cluster_name");
        for (String nested : new String[] {"app", "tenant", "cluster"}) {
            Descriptors.FieldDescriptor f = request.getDescriptorForType().findFieldByName(nested);
            if (f != null
                    && f.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE
                    && request.hasField(f)) {
                Message m = (Message) request.getField(f);
                if (nested.equals("tenant")) {
                    tenant = string(m, "name");
                    name = null;
                } else {
                    tenant = tenant != null ? tenant : string(m, "tenant");
                    name = string(m, "name");
                }
            }
        }
        StringBuilder d = new StringBuilder(kind);
        if (tenant != null && !kind.equals("tenant")) {
            d.append('/').append(tenant);
        }
        if (name != null) {
            d.append('/').append(name);
        } else if (kind.equals("tenant") && tenant != null) {
            d.append('/').append(tenant);
        }
        return new Target(tenant, d.toString());
    }

    private static String first(Message m, String... names) {
        for (String n : names) {
            String v = string(m, n);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String string(Message m, String field) {
        Descriptors.FieldDescriptor f = m.getDescriptorForType().findFieldByName(field);
        if (f == null || f.getJavaType() != Descriptors.FieldDescriptor.JavaType.STRING) {
            return null;
        }
        String v = (String) m.getField(f);
        return v.isEmpty() ? null : v.length() > 63 ? v.substring(0, 63) : v;
    }
}
