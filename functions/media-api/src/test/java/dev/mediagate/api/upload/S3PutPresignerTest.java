package dev.mediagate.api.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.aws.S3EndpointConfig;
import dev.mediagate.api.upload.S3PutPresigner.PresignedPut;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Addressing and query of presigned PUTs; that S3 accepts them is proven against S3Proxy in media-api's upload tests. */
class S3PutPresignerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:15:30.700Z"), ZoneOffset.UTC);
    private static final StaticCredentialsProvider KEYS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
    private static final S3EndpointConfig AWS = new S3EndpointConfig(Optional.empty(), false);

    @Test
    void addressesTheBucketAsAHostOnTheRegionsEndpoint() {
        PresignedPut put = new S3PutPresigner(AWS, Region.EU_CENTRAL_1, KEYS, CLOCK)
                .presign("mediagate-prod-1-eu-central-1", "originals/abc/0b0e", Map.of("Content-Type", "image/png"), Duration.ofMinutes(15));

        assertThat(put.url().getHost()).isEqualTo("mediagate-prod-1-eu-central-1.s3.eu-central-1.amazonaws.com");
        assertThat(put.url().getRawPath()).isEqualTo("/originals/abc/0b0e");
        assertThat(put.url().getRawQuery())
                .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256")
                .contains("X-Amz-Date=20261121T101530Z")
                .contains("X-Amz-Expires=900")
                .contains("X-Amz-Credential=AKIDEXAMPLE%2F20261121%2Feu-central-1%2Fs3%2Faws4_request")
                .contains("X-Amz-SignedHeaders=content-type%3Bhost")
                .containsPattern("X-Amz-Signature=[0-9a-f]{64}");
        assertThat(put.expiration()).isEqualTo(Instant.parse("2026-11-21T10:30:30Z"));
    }

    @Test
    void putsADottedBucketInThePathBecauseNoCertificateCoversItAsAHost() {
        PresignedPut put = new S3PutPresigner(AWS, Region.EU_CENTRAL_1, KEYS, CLOCK)
                .presign("media.example.com", "originals/abc/0b0e", Map.of(), Duration.ofMinutes(1));

        assertThat(put.url().getHost()).isEqualTo("s3.eu-central-1.amazonaws.com");
        assertThat(put.url().getRawPath()).isEqualTo("/media.example.com/originals/abc/0b0e");
    }

    @Test
    void usesThePartitionsDomainOutsideTheCommercialRegions() {
        PresignedPut put = new S3PutPresigner(AWS, Region.CN_NORTH_1, KEYS, CLOCK)
                .presign("bucket-name", "k", Map.of(), Duration.ofMinutes(1));

        assertThat(put.url().getHost()).isEqualTo("bucket-name.s3.cn-north-1.amazonaws.com.cn");
    }

    @Test
    void putsTheBucketInThePathOfAnOverriddenEndpointWhenPathStyleIsForced() {
        S3EndpointConfig local = new S3EndpointConfig(Optional.of(URI.create("http://127.0.0.1:9000")), true);

        PresignedPut put = new S3PutPresigner(local, Region.US_EAST_1, KEYS, CLOCK)
                .presign("bucket", "originals/o/f", Map.of(), Duration.ofMinutes(1));

        assertThat(put.url().toString()).startsWith("http://127.0.0.1:9000/bucket/originals/o/f?");
    }

    @Test
    void signsEveryGivenHeader() {
        PresignedPut put = new S3PutPresigner(AWS, Region.US_EAST_1, KEYS, CLOCK).presign("bucket", "k",
                Map.of("Content-Length", "10", "If-None-Match", "*", "x-amz-meta-filename", "a.jpg"), Duration.ofMinutes(1));

        assertThat(put.url().getRawQuery()).contains("X-Amz-SignedHeaders=content-length%3Bhost%3Bif-none-match%3Bx-amz-meta-filename");
    }

    @Test
    void carriesTheSessionTokenOfTemporaryCredentials() {
        StaticCredentialsProvider lambdaRole = StaticCredentialsProvider.create(
                AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "token/with+chars"));

        PresignedPut put = new S3PutPresigner(AWS, Region.US_EAST_1, lambdaRole, CLOCK)
                .presign("bucket", "k", Map.of(), Duration.ofMinutes(1));

        assertThat(put.url().getRawQuery()).contains("X-Amz-Security-Token=token%2Fwith%2Bchars");
    }
}
