package dev.mediagate.api.upload;

import dev.mediagate.core.config.Settings;
import dev.mediagate.core.upload.UploadConfig;
import dev.mediagate.core.upload.UploadPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** {@code POST /uploads}: presigned PUT URLs straight to S3, and the routes of a multipart upload. */
@Configuration(proxyBeanMethods = false)
@Import({UploadController.class, UploadSigner.class, MultipartController.class, MultipartUploads.class})
public class UploadFeature {

    @Bean
    UploadConfig uploadConfig(Settings settings) {
        return UploadConfig.from(settings);
    }

    @Bean
    UploadPolicy uploadPolicy(UploadConfig config) {
        return new UploadPolicy(config);
    }
}
