package dev.fedplane.agent.rbac;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * An HTTP request to the Kubernetes API as RBAC sees it (the API server's request-info rules): a
 * resource request (verb, API group, resource, subresource, namespace, name) or a non-resource
 * request (path). GET of one object is {@code get}, of a collection {@code list}, with {@code
 * watch=true} {@code watch}; POST {@code create}; PUT {@code update}; PATCH {@code patch}; DELETE
 * of one object {@code delete}, of a collection {@code deletecollection}.
 */
public record KubeRequest(
        String verb,
        String apiGroup,
        String resource,
        String subresource,
        String namespace,
        String name,
        String nonResourcePath) {

    public boolean isResourceRequest() {
        return nonResourcePath == null;
    }

    /** {@code verb resource} with group, namespace and name, for messages. */
    public String describe() {
        if (!isResourceRequest()) {
            return verb + " " + nonResourcePath;
        }
        return verb
                + " "
                + (apiGroup.isEmpty() ? "" : apiGroup + "/")
                + resource
                + (subresource.isEmpty() ? "" : "/" + subresource)
                + (namespace.isEmpty() ? "" : " in " + namespace)
                + (name.isEmpty() ? "" : " named " + name);
    }

    /** Parses {@code method} and {@code pathAndQuery} as the API server would. */
    public static KubeRequest of(String method, String pathAndQuery) {
        URI uri = URI.create(pathAndQuery);
        String path = uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        boolean watch =
                Arrays.asList(query.split("&")).stream()
                        .anyMatch(p -> p.equals("watch=true") || p.equals("watch=1"));
        List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        String group;
        List<String> rest;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            rest = parts.subList(2, parts.size());
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            rest = parts.subList(3, parts.size());
        } else {
            return new KubeRequest(
                    method.toLowerCase(java.util.Locale.ROOT).equals("get")
                            ? "get"
                            : method.toLowerCase(java.util.Locale.ROOT),
                    "",
                    "",
                    "",
                    "",
                    "",
                    path);
        }
        if (rest.isEmpty()) {
            return new KubeRequest("get", "", "", "", "", "", path); // discovery
        }
        String namespace = "";
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : "";
        String sub = rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : "";
        if (resource.equals("namespaces") && !name.isEmpty()) {
            namespace = name; // a namespace is its own namespace, as the API server records it
        }
        String verb =
                switch (method.toUpperCase(java.util.Locale.ROOT)) {
                    case "GET", "HEAD" -> watch ? "watch" : name.isEmpty() ? "list" : "get";
                    case "POST" -> "create";
                    case "PUT" -> "update";
                    case "PATCH" -> "patch";
                    case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
                    default ->
                            throw new IllegalArgumentException("no RBAC verb for HTTP " + method);
                };
        return new KubeRequest(verb, group, resource, sub, namespace, name, null);
    }
}
