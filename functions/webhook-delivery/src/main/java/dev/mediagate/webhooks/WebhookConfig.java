package dev.mediagate.webhooks;

import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and how webhooks go, read once at init: {@code WEBHOOK_URL} (https; plain http only to a loopback receiver, which
 * exists only on a developer's machine), the secret named by {@code WEBHOOK_SECRET_ARN} (Secrets Manager, AWS) or
 * {@code WEBHOOK_SECRET_FILE} (the local stack), never the secret itself, and {@code WEBHOOK_QUEUE_URL}, whose messages'
 * visibility the retries stretch.
 */
record WebhookConfig(URI url, Optional<String> secretArn, Optional<Path> secretFile, String queueUrl) {

    static WebhookConfig from(Settings settings) {
        URI url = settings.httpUrl("WEBHOOK_URL")
                .orElseThrow(() -> new ConfigurationException("WEBHOOK_URL", "is required but not set"));
        if (!"https".equalsIgnoreCase(url.getScheme()) && !isLoopback(url.getHost())) {
            throw new ConfigurationException("WEBHOOK_URL", "must be an https:// URL");
        }
        Optional<String> arn = settings.optional("WEBHOOK_SECRET_ARN");
        Optional<Path> file = settings.optional("WEBHOOK_SECRET_FILE").map(Path::of);
        if (arn.isPresent() == file.isPresent()) {
            throw new ConfigurationException(arn.isPresent() ? "WEBHOOK_SECRET_FILE" : "WEBHOOK_SECRET_ARN",
                    "set exactly one of WEBHOOK_SECRET_ARN (AWS) and WEBHOOK_SECRET_FILE (local)");
        }
        return new WebhookConfig(url, arn, file, settings.required("WEBHOOK_QUEUE_URL"));
    }

    /** Only the literal loopback names: nothing DNS could point elsewhere. */
    private static boolean isLoopback(String host) {
        return "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
    }
}
