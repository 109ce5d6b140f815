package dev.mediagate.core.aws;

import dev.mediagate.core.S3EndpointConfig;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * S3 clients as the functions build them once at init: the JDK's URL connection (small, fast to start), the default
 * credentials and region chains (resolved per call, so SnapStart never freezes credentials), the endpoint switchable
 * for the local stack.
 */
public final class S3Clients {

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
                .forcePathStyle(endpoint.pathStyle());
        endpoint.endpointOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static S3Presigner presigner(S3EndpointConfig endpoint) {
        var builder = S3Presigner.builder()
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(region())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(endpoint.pathStyle()).build());
        endpoint.endpointOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static Region region() {
        return new DefaultAwsRegionProviderChain().getRegion();
    }
}
