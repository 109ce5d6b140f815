package dev.mediagate.api.cdn;

import dev.mediagate.core.config.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.security.PrivateKey;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The CloudFront private key, fetched once at init: from Secrets Manager in AWS, from a PEM file locally. Never from an
 * environment variable, and no error or log line ever contains a byte of it.
 */
final class PrivateKeyLoader {

    private PrivateKeyLoader() {
    }

    static PrivateKey load(CdnConfig config) {
        String pem;
        String variable;
        if (config.privateKeySecretId().isPresent()) {
            variable = "CDN_PRIVATE_KEY_SECRET_ID";
            try (SecretsManagerClient secrets = SecretsManagerClient.builder()
                    .httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .region(new DefaultAwsRegionProviderChain().getRegion())
                    .build()) {
                pem = secrets.getSecretValue(r -> r.secretId(config.privateKeySecretId().get())).secretString();
            }
        } else {
            variable = "CDN_PRIVATE_KEY_FILE";
            try {
                pem = Files.readString(config.privateKeyFile().orElseThrow());
            } catch (IOException e) {
                throw new ConfigurationException(variable, "cannot read " + config.privateKeyFile().get() + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        try {
            return PemKeys.rsaPrivateKey(pem == null ? "" : pem);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(variable, e.getMessage());
        }
    }
}
