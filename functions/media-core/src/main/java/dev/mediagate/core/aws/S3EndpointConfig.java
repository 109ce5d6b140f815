package dev.mediagate.core.aws;

import dev.mediagate.core.config.Settings;
import java.net.URI;
import java.util.Optional;

/**
 * Where S3 is reached: AWS's regional endpoint unless {@code AWS_ENDPOINT_URL_S3} points elsewhere
 * (the local stack), and path-style addressing when {@code S3_FORCE_PATH_STYLE} asks for it.
 */
public record S3EndpointConfig(Optional<URI> endpointOverride, boolean pathStyle) {

    public static S3EndpointConfig from(Settings settings) {
        return new S3EndpointConfig(settings.httpUrl("AWS_ENDPOINT_URL_S3"), settings.bool("S3_FORCE_PATH_STYLE", false));
    }
}
