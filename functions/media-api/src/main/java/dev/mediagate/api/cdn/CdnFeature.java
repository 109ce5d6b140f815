package dev.mediagate.api.cdn;

import dev.mediagate.core.config.Settings;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** CloudFront signing: the private key loaded once at init, signed URLs for files and cookies for galleries. */
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
}
