package dev.mediagate.core.aws;

import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 clients as the functions build them once at init: the JDK's URL connection (small, fast to start), the default
 * credentials and region chains (resolved per call, so SnapStart never freezes credentials), the endpoint switchable
 * for the local stack, and the SDK's adaptive retry: S3 answers 503 Slow Down while a new prefix's request rate
 * outgrows its partition ("Best practices design patterns: optimizing Amazon S3 performance"), and the adaptive mode
 * adds a client-side rate limiter to the standard mode's backoff, so each instance slows down instead of retrying into
 * the same throttling.
 */
public final class S3Clients {

    /** The SDK 2.x adaptive mode as it behaves since 2.26 (the rate limiter applies to throttling errors only). */
    static final RetryMode RETRY_MODE = RetryMode.ADAPTIVE_V2;
    /**
     * Six attempts instead of the mode's three: a Slow Down while a prefix partitions outlasts three, and the JDK's
     * connection cache keeps up to five connections per host, any of which a server may have closed after refusing a
     * request before its body (S3Proxy does, locally): a sixth attempt always gets a fresh connection.
     */
    static final int MAX_ATTEMPTS = 6;

    private S3Clients() {
    }

    public static S3Client client(S3EndpointConfig endpoint) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(20))
                        .build())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(region())
                .forcePathStyle(endpoint.pathStyle())
                .overrideConfiguration(override -> override.retryStrategy(
                        AwsRetryStrategy.forRetryMode(RETRY_MODE).toBuilder().maxAttempts(MAX_ATTEMPTS).build()));
        endpoint.endpointOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** The object's metadata, or empty when there is no such key (callers need s3:ListBucket to tell 404 from 403). */
    public static Optional<HeadObjectResponse> headIfExists(S3Client s3, String bucket, String key) {
        try {
            return Optional.of(s3.headObject(h -> h.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Region region() {
        return new DefaultAwsRegionProviderChain().getRegion();
    }
}
