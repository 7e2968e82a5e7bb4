package dev.fedplane.agent.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The permissions of one ServiceAccount as Kubernetes RBAC grants them: the rules of ClusterRoles
 * (everywhere) and Roles (in their own namespace only). {@link #allows} follows the API server's
 * rule matching: verb, API group and resource (or {@code resource/subresource}) must each be listed
 * or {@code *}; {@code resourceNames}, when given, must hold the object's name (so they never match
 * a {@code create} or a {@code list}); non-resource requests match {@code nonResourceURLs} (a
 * trailing {@code *} is a prefix) of ClusterRoles only.
 */
public final class RbacRules {
    private final List<PolicyRule> clusterRules;
    private final List<Scoped> roleRules;

    private record Scoped(String namespace, PolicyRule rule) {}

    public RbacRules(List<ClusterRole> clusterRoles, List<Role> roles) {
        this.clusterRules = clusterRoles.stream().flatMap(r -> r.getRules().stream()).toList();
        List<Scoped> scoped = new ArrayList<>();
        roles.forEach(
                r ->
                        r.getRules()
                                .forEach(
                                        rule ->
                                                scoped.add(
                                                        new Scoped(
                                                                r.getMetadata().getNamespace(),
                                                                rule))));
        this.roleRules = List.copyOf(scoped);
    }

    /** The ClusterRoles and Roles in a multi-document manifest (the agent's plain manifest). */
    public static RbacRules fromManifest(Path manifest) {
        List<ClusterRole> clusterRoles = new ArrayList<>();
        List<Role> roles = new ArrayList<>();
        String text;
        try {
            text = Files.readString(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String doc : text.split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
                continue;
            }
            HasMetadata o = Serialization.unmarshal(doc);
            if (o instanceof ClusterRole cr) {
                clusterRoles.add(cr);
            } else if (o instanceof Role r) {
                roles.add(r);
            }
        }
        if (clusterRoles.isEmpty()) {
            throw new IllegalStateException("no ClusterRole in " + manifest);
        }
        return new RbacRules(clusterRoles, roles);
    }

    public boolean allows(KubeRequest request) {
        if (!request.isResourceRequest()) {
            return clusterRules.stream().anyMatch(r -> matchesNonResource(r, request));
        }
        return clusterRules.stream().anyMatch(r -> matchesResource(r, request))
                || roleRules.stream()
                        .anyMatch(
                                s ->
                                        !request.namespace().isEmpty()
                                                && s.namespace().equals(request.namespace())
                                                && matchesResource(s.rule(), request));
    }

    private static boolean matchesResource(PolicyRule r, KubeRequest q) {
        if (r.getResources() == null || r.getResources().isEmpty()) {
            return false;
        }
        String resource =
                q.subresource().isEmpty() ? q.resource() : q.resource() + "/" + q.subresource();
        return listed(r.getVerbs(), q.verb())
                && listed(r.getApiGroups(), q.apiGroup())
                && listed(r.getResources(), resource)
                && (r.getResourceNames() == null
                        || r.getResourceNames().isEmpty()
                        || r.getResourceNames().contains(q.name()) && !q.name().isEmpty());
    }

    private static boolean matchesNonResource(PolicyRule r, KubeRequest q) {
        if (r.getNonResourceURLs() == null || !listed(r.getVerbs(), q.verb())) {
            return false;
        }
        return r.getNonResourceURLs().stream()
                .anyMatch(
                        u ->
                                u.equals("*")
                                        || u.equals(q.nonResourcePath())
                                        || u.endsWith("*")
                                                && q.nonResourcePath()
                                                        .startsWith(
                                                                u.substring(0, u.length() - 1)));
    }

    private static boolean listed(List<String> values, String value) {
        return values != null && (values.contains("*") || values.contains(value));
    }
}
