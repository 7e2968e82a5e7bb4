package dev.fedplane.controlplane.agent;

/**
 * One connected agent's stream as {@link AgentSessions} sees it, free of the transport: the gRPC
 * side ({@code agent.grpc.AgentSession}) turns it into protocol messages.
 */
public interface AgentStream {

    String cluster();

    /** Sends the agent what it lacks of its cluster's desired state, if nothing is in flight. */
    void pump();

    /** Ends the stream: a newer stream of the same cluster replaced it. */
    void closeReplaced();

    /** Ends the stream: this instance no longer leads. */
    void closeNotLeader();
}
