package dev.mediagate.api;

import dev.mediagate.core.metrics.Metrics;
import dev.mediagate.core.aws.S3EndpointConfig;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.aws.S3Clients;
import dev.mediagate.api.upload.S3PutPresigner;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.s3.S3Client;

/** SDK clients and settings, built once at init: default credentials chain (SnapStart-safe), endpoint switchable for local S3. */
@Configuration(proxyBeanMethods = false)
class AwsClients {

    /** Environment variables (and, in tests, system properties) read through one validated view. */
    @Bean
    Settings settings(Environment environment) {
        return new Settings(environment::getProperty);
    }

    @Bean
    S3EndpointConfig s3EndpointConfig(Settings settings) {
        return S3EndpointConfig.from(settings);
    }

    @Bean
    Metrics metrics() {
        return Metrics.toStandardOutput("media-api");
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    S3PutPresigner s3PutPresigner(S3EndpointConfig endpoint, Clock clock) {
        return S3PutPresigner.create(endpoint, clock);
    }

    @Bean(destroyMethod = "close")
    S3Client s3Client(S3EndpointConfig endpoint) {
        return S3Clients.client(endpoint);
    }
}
