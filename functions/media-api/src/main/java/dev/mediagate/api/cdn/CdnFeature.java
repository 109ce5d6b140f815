package dev.mediagate.api.cdn;

import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;

/**
 * CloudFront: the private key loaded once at init, signed URLs for files and cookies for galleries, and invalidations
 * of the distribution ({@code CDN_DISTRIBUTION_ID}; {@code AWS_ENDPOINT_URL_CLOUDFRONT} points them at the local edge).
 */
@Configuration(proxyBeanMethods = false)
@Import(CdnCookieController.class)
public class CdnFeature {

    private static final Pattern DISTRIBUTION_ID = Pattern.compile("[A-Z0-9]{6,32}");

    @Bean
    CdnConfig cdnConfig(Settings settings) {
        return CdnConfig.from(settings);
    }

    @Bean
    CdnSigner cdnSigner(CdnConfig config, Clock clock) {
        return new CdnSigner(config.baseUrl(), config.keyPairId(), PrivateKeyLoader.load(config), config.downloadUrlTtl(), clock);
    }

    @Bean(destroyMethod = "close")
    CloudFrontClient cloudFrontClient(Settings settings) {
        var builder = CloudFrontClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(10)).build())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(Region.AWS_GLOBAL);
        settings.httpUrl("AWS_ENDPOINT_URL_CLOUDFRONT").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Bean
    CdnInvalidator cdnInvalidator(CloudFrontClient cloudFront, Settings settings, Clock clock) {
        String distributionId = settings.required("CDN_DISTRIBUTION_ID");
        if (!DISTRIBUTION_ID.matcher(distributionId).matches()) {
            throw new ConfigurationException("CDN_DISTRIBUTION_ID", "must be a CloudFront distribution id (upper-case letters and digits)");
        }
        return new CdnInvalidator(cloudFront, distributionId, clock);
    }
}
