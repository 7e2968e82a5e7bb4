/**
 * The typed events by which producers (the platform API's services, agent sessions, workload
 * reports, health tracking, the change feed) tell the reconciler that something changed. This
 * package depends on nothing else in the control plane, so producers and the reconciler do not
 * depend on each other.
 */
package dev.fedplane.controlplane.events;
