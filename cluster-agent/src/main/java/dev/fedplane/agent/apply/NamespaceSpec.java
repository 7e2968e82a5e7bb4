package dev.fedplane.agent.apply;

import java.util.Map;

/**
 * One tenant's namespace in this cluster. Quota and network rules are not applied yet; when they
 * are, they join this record and {@link DesiredStateApplier#applyNamespace} grows a step each.
 */
public record NamespaceSpec(String tenant, Map<String, String> labels) {

  public NamespaceSpec {
    labels = Map.copyOf(labels);
  }
}
