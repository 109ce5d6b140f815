package dev.mediagate.core.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.FileType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UploadConfigTest {

    @Test
    void usesTheContractDefaults() {
        UploadConfig config = UploadConfig.from(settings(Map.of("MEDIA_BUCKET", "media-dev")));

        // HEIC and HEIF are opt-in (HeicSupport): every other type mediagate verifies is allowed by default.
        assertThat(config.allowedContentTypes()).containsExactlyInAnyOrder(FileType.JPEG, FileType.PNG, FileType.WEBP, FileType.GIF, FileType.PDF);
        assertThat(config.maxUploadBytes()).isEqualTo(26_214_400L);
        assertThat(config.uploadUrlTtl()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void stopsWithTheVariableNameWhenTheBucketIsMissing() {
        assertThatThrownBy(() -> UploadConfig.from(settings(Map.of())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("MEDIA_BUCKET: is required but not set");
    }

    @Test
    void stopsOnATypeItCannotVerify() {
        assertThatThrownBy(() -> UploadConfig.from(settings(Map.of("MEDIA_BUCKET", "m-1", "ALLOWED_CONTENT_TYPES", "image/png,text/html"))))
                .hasMessageStartingWith("ALLOWED_CONTENT_TYPES: 'text/html' is not a type mediagate can verify");
    }

    @Test
    void stopsOnAMalformedNumber() {
        assertThatThrownBy(() -> UploadConfig.from(settings(Map.of("MEDIA_BUCKET", "m-1", "MAX_UPLOAD_BYTES", "25MB"))))
                .hasMessage("MAX_UPLOAD_BYTES: must be a whole number, got '25MB'");
    }

    @Test
    void stopsOnAnUploadUrlLivingLongerThanTheCredentialsThatSignIt() {
        for (String seconds : List.of("3601", "604800", "604801", "0", "-1")) {
            assertThatThrownBy(() -> UploadConfig.from(settings(Map.of("MEDIA_BUCKET", "m-1", "UPLOAD_URL_TTL_SECONDS", seconds))))
                    .as(seconds)
                    .hasMessage("UPLOAD_URL_TTL_SECONDS: must be between 1 and 3600 (a presigned URL dies with the temporary"
                            + " credentials of the role that signed it), got " + seconds);
        }
        assertThat(UploadConfig.from(settings(Map.of("MEDIA_BUCKET", "m-1", "UPLOAD_URL_TTL_SECONDS", "3600"))).uploadUrlTtl())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void stopsOnAnInvalidBucketName() {
        assertThatThrownBy(() -> UploadConfig.from(settings(Map.of("MEDIA_BUCKET", "Media_Bucket"))))
                .hasMessageStartingWith("MEDIA_BUCKET: is not a valid S3 bucket name");
    }

    private static Settings settings(Map<String, String> values) {
        return new Settings(new HashMap<>(values)::get);
    }
}
