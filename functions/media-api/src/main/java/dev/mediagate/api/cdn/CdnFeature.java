package dev.mediagate.api.cdn;

import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * CloudFront: the private key loaded once at init, signed URLs for files and cookies for galleries, and invalidations
 * of unpublished copies, queued for CdnInvalidationFunction ({@code CDN_INVALIDATION_QUEUE_URL}).
 */
@Configuration(proxyBeanMethods = false)
@Import(CdnCookieController.class)
public class CdnFeature {

    @Bean
    CdnConfig cdnConfig(Settings settings) {
        return CdnConfig.from(settings);
    }

    @Bean
    CdnSigner cdnSigner(CdnConfig config, Clock clock) {
        return new CdnSigner(config.baseUrl(), config.keyPairId(), PrivateKeyLoader.load(config), config.downloadUrlTtl(), clock);
    }

    /** The queue CdnInvalidationFunction drains ({@code CDN_INVALIDATION_QUEUE_URL}; {@code AWS_ENDPOINT_URL_SQS} locally). */
    @Bean(destroyMethod = "close")
    SqsClient invalidationQueueClient(Settings settings) {
        var builder = SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(10)).build())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(new DefaultAwsRegionProviderChain().getRegion());
        settings.httpUrl("AWS_ENDPOINT_URL_SQS").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Bean
    CdnInvalidator cdnInvalidator(SqsClient sqs, Settings settings) {
        String queueUrl = settings.httpUrl("CDN_INVALIDATION_QUEUE_URL")
                .orElseThrow(() -> new ConfigurationException("CDN_INVALIDATION_QUEUE_URL", "is required but not set")).toString();
        return new CdnInvalidator(sqs, queueUrl);
    }
}
