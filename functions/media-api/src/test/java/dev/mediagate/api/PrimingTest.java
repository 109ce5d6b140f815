package dev.mediagate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediagate.testing.LocalS3;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What SnapStart runs before its snapshot: every route, nothing written, nothing counted. */
@Tag("events")
class PrimingTest {

    @Test
    void primingRunsEveryRouteButWritesNothingAndCountsNothing() {
        StreamLambdaHandler handler = ApiEvents.handler();
        long objectsBefore = LocalS3.shared().client().listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents().stream().count();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            handler.beforeCheckpoint(null);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);

        assertThat(output).contains("POST /uploads 201").contains("POST /cdn-cookies 204").contains(" 404\"");
        assertThat(output).doesNotContain("\"_aws\"").doesNotContain(" 500\"");
        assertThat(LocalS3.shared().client().listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents().stream()
                .map(S3Object::key).count()).isEqualTo(objectsBefore);
    }

    @Test
    void primingBeforeTheBucketExistsFailsNamingTheMissingBucket() {
        assertThatThrownBy(() -> Priming.requireBucket(LocalS3.shared().client(), "mediagate-dev-not-created-yet"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mediagate-dev-not-created-yet")
                .hasMessageContaining("does not exist");
    }
}
