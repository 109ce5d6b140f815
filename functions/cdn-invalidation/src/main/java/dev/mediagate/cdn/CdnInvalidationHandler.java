package dev.mediagate.cdn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;

/**
 * CdnInvalidationFunction: the exact paths the API queued when public copies stopped being public (a file made private
 * or deleted) become one CloudFront invalidation per batch. CloudFront refuses more than it can take at once
 * ({@code TooManyInvalidationsInProgress}: at most 3,000 exact paths, 15 wildcard paths, in progress per distribution)
 * and may throttle; then the whole batch is reported failed and SQS hands it over again after the visibility timeout,
 * for more than a day (the queue's maxReceiveCount), then to the dead-letter queue and its alarm. No request of a user
 * ever waits on this.
 */
public class CdnInvalidationHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger log = LoggerFactory.getLogger(CdnInvalidationHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DISTRIBUTION_ID = Pattern.compile("[A-Z0-9]{6,32}");
    /** What the API queues: paths under /public/ only, each an exact object (no wildcard, no query string). */
    static final Pattern PUBLISHED_PATH = Pattern.compile("/public/[a-z0-9]+/[a-z0-9-]+/[A-Za-z0-9._-]+");

    private final CloudFrontClient cloudFront;
    private final String distributionId;

    /** Lambda's init: the distribution id validated, the CloudFront client built once. */
    public CdnInvalidationHandler() {
        this(Settings.fromEnvironment());
    }

    /** The function's environment given explicitly: tests, and the local stack, which cannot set this JVM's environment. */
    CdnInvalidationHandler(Settings settings) {
        this(client(settings), distributionId(settings));
    }

    CdnInvalidationHandler(CloudFrontClient cloudFront, String distributionId) {
        this.cloudFront = cloudFront;
        this.distributionId = distributionId;
    }

    private static String distributionId(Settings settings) {
        String id = settings.required("CDN_DISTRIBUTION_ID");
        if (!DISTRIBUTION_ID.matcher(id).matches()) {
            throw new ConfigurationException("CDN_DISTRIBUTION_ID", "must be a CloudFront distribution id (upper-case letters and digits)");
        }
        return id;
    }

    private static CloudFrontClient client(Settings settings) {
        var builder = CloudFrontClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(10)).build())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(Region.AWS_GLOBAL);
        settings.httpUrl("AWS_ENDPOINT_URL_CLOUDFRONT").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        if (context != null) {
            MDC.put("lambdaRequestId", context.getAwsRequestId());
        }
        try {
            Set<String> paths = new LinkedHashSet<>();
            List<String> messageIds = new ArrayList<>();
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                List<String> named = paths(message);
                if (named.isEmpty()) {
                    continue;
                }
                paths.addAll(named);
                messageIds.add(message.getMessageId());
            }
            if (paths.isEmpty()) {
                return new SQSBatchResponse(List.of());
            }
            try {
                String id = cloudFront.createInvalidation(r -> r.distributionId(distributionId).invalidationBatch(b -> b
                        // The same batch handed over again is the same request: CloudFront answers it without a second one.
                        .callerReference(callerReference(messageIds))
                        .paths(p -> p.quantity(paths.size()).items(paths)))).invalidation().id();
                log.atInfo().addKeyValue("invalidationId", id).addKeyValue("paths", paths.size()).log("CDN invalidation requested");
                return new SQSBatchResponse(List.of());
            } catch (SdkException refused) {
                // TooManyInvalidationsInProgress, a throttle, CloudFront failing: every message of the batch comes back.
                log.atWarn().addKeyValue("paths", paths.size()).addKeyValue("error", refused.getClass().getSimpleName())
                        .log("CloudFront did not take the invalidation; SQS retries it after the visibility timeout");
                return new SQSBatchResponse(messageIds.stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
            }
        } finally {
            MDC.clear();
        }
    }

    /**
     * A message's paths; a message that is not what the API queues is logged and dropped (no retry would make it one).
     */
    static List<String> paths(SQSEvent.SQSMessage message) {
        try {
            JsonNode body = JSON.readTree(message.getBody());
            List<String> paths = new ArrayList<>();
            for (JsonNode path : body.path("paths")) {
                if (!path.isTextual() || !PUBLISHED_PATH.matcher(path.textValue()).matches()) {
                    throw new IOException("not an exact path under /public/");
                }
                paths.add(path.textValue());
            }
            if (paths.isEmpty()) {
                throw new IOException("no paths");
            }
            return paths;
        } catch (IOException | RuntimeException malformed) {
            log.atError().addKeyValue("messageId", message.getMessageId()).addKeyValue("why", malformed.getMessage())
                    .log("dropped a message that is not a CDN invalidation request");
            return List.of();
        }
    }

    private static String callerReference(List<String> messageIds) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            messageIds.stream().sorted().forEach(id -> sha256.update((id + "\n").getBytes(StandardCharsets.UTF_8)));
            return "mediagate-" + HexFormat.of().formatHex(sha256.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
