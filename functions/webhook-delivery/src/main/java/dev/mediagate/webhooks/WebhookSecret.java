package dev.mediagate.webhooks;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import dev.mediagate.core.config.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The {@code whsec_…} signing secret, fetched once at init (Secrets Manager in AWS, a file locally) and handed to the
 * Standard Webhooks reference library; no error or log line ever contains any of it.
 */
final class WebhookSecret {

    private WebhookSecret() {
    }

    static Webhook signer(WebhookConfig config) {
        String variable = config.secretArn().isPresent() ? "WEBHOOK_SECRET_ARN" : "WEBHOOK_SECRET_FILE";
        String secret;
        if (config.secretArn().isPresent()) {
            try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                    .httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .region(new DefaultAwsRegionProviderChain().getRegion())
                    .build()) {
                secret = secrets.getSecretValue(r -> r.secretId(config.secretArn().get())).secretString();
            }
        } else {
            try {
                secret = Files.readString(config.secretFile().orElseThrow());
            } catch (IOException e) {
                throw new ConfigurationException(variable, "cannot read " + config.secretFile().get() + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return parse(secret == null ? "" : secret.trim(), variable);
    }

    /** {@code whsec_} and the base64 of at least 24 random bytes, as the specification's secrets are. */
    static Webhook parse(String secret, String variable) {
        if (!secret.startsWith(Webhook.SECRET_PREFIX)) {
            throw new ConfigurationException(variable, "the secret must start with whsec_");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(Webhook.SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(variable, "the secret after whsec_ must be base64");
        }
        if (key.length < 24 || key.length > 64) {
            throw new ConfigurationException(variable, "the secret must hold 24 to 64 bytes");
        }
        try {
            return new Webhook(key);
        } catch (EmptyWebhookSecretException e) {
            throw new ConfigurationException(variable, "the secret is empty");
        }
    }
}
