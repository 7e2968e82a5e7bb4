package dev.fedplane.agent.credential;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credential in the Secret {@value #SECRET_NAME} (key {@value #KEY}) of the agent's namespace.
 * The namespace is created when missing, without the managed-by label: it is the agent's own and
 * never part of any desired state.
 */
public final class SecretCredentialStore implements CredentialStore {

    public static final String SECRET_NAME = "fedplane-agent-credential";
    public static final String KEY = "credential";

    private static final Logger log = LoggerFactory.getLogger(SecretCredentialStore.class);

    private final KubernetesClient client;
    private final String namespace;

    public SecretCredentialStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public Optional<String> load() {
        Secret secret = client.secrets().inNamespace(namespace).withName(SECRET_NAME).get();
        if (secret == null || secret.getData() == null || !secret.getData().containsKey(KEY)) {
            return Optional.empty();
        }
        String value =
                new String(
                                Base64.getDecoder().decode(secret.getData().get(KEY)),
                                StandardCharsets.UTF_8)
                        .strip();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    @Override
    public void store(String credential) {
        ensureNamespace();
        Secret secret =
                new SecretBuilder()
                        .withNewMetadata()
                        .withName(SECRET_NAME)
                        .withNamespace(namespace)
                        .withLabels(Map.of("app.kubernetes.io/name", "fedplane-agent"))
                        .endMetadata()
                        .withType("Opaque")
                        .withData(
                                Map.of(
                                        KEY,
                                        Base64.getEncoder()
                                                .encodeToString(
                                                        credential.getBytes(
                                                                StandardCharsets.UTF_8))))
                        .build();
        client.secrets()
                .inNamespace(namespace)
                .resource(secret)
                .createOr(NonDeletingOperation::update);
    }

    private void ensureNamespace() {
        if (client.namespaces().withName(namespace).get() != null) {
            return;
        }
        try {
            client.namespaces()
                    .resource(
                            new NamespaceBuilder()
                                    .withNewMetadata()
                                    .withName(namespace)
                                    .endMetadata()
                                    .build())
                    .create();
            log.info("created namespace {} for the agent's credential", namespace);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    @Override
    public String describe() {
        return "secret " + namespace + "/" + SECRET_NAME;
    }
}
