package dev.fedplane.agent.credential;

import java.util.Optional;

/**
 * Keeps the cluster's own credential across agent restarts. Called from the agent's loop thread
 * only.
 */
public interface CredentialStore {

    /** The stored credential, empty when none was stored yet. */
    Optional<String> load();

    /**
     * Stores (replaces) the credential. Throws when it cannot: the agent then retries registration.
     */
    void store(String credential);

    /** Where the credential is kept, for logs. */
    String describe();
}
