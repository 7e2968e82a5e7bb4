package dev.fedplane.agent;

/** Where an {@link Agent} stands with the control plane. */
public enum ConnectionState {
    /** Created, not started. */
    NEW,
    /** Registering (with the bootstrap token or the stored credential). */
    REGISTERING,
    /** Connect stream opened, Hello sent, nothing received yet. */
    CONNECTING,
    /**
     * The control plane accepted the stream: it sent a control message, or the stream has stayed
     * open for half a second after Hello (a control plane with nothing new to send stays silent).
     */
    CONNECTED,
    /** Waiting to retry after a failure; workloads keep running as they are. */
    DISCONNECTED,
    /** Closed. */
    CLOSED
}
