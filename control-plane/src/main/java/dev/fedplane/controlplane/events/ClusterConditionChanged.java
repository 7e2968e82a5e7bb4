package dev.fedplane.controlplane.events;

/**
 * A cluster's health or capacity changed in a way that can move replicas: a heartbeat made it READY
 * again or moved its capacity past the threshold, or health tracking found it NOT_READY or LOST.
 * Published by the leader after the change is stored (outside any transaction); listeners run on
 * the publishing thread and must not block.
 */
public record ClusterConditionChanged(String cluster, String reason) {}
