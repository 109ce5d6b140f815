package dev.mediagate.api.files;

import static dev.mediagate.api.ApiEvents.event;
import static dev.mediagate.api.ApiEvents.invoke;
import static dev.mediagate.api.ApiEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.api.ApiEvents.ApiResponse;
import dev.mediagate.core.files.FileStatus;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.core.files.ReprocessMessage;
import dev.mediagate.local.sqs.SqsSendMessage;
import dev.mediagate.testing.LocalS3;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code PATCH /files/{fileId}} with {@code {"focus"}} ({@code events/api-change-visibility.json}, another body). */
@Tag("events")
class FocusChangeTest {

    static final String OWNER = ReprocessRouteTest.OWNER;
    static final String FILE_ID = ReprocessRouteTest.FILE_ID;
    static final String ORIGINAL = ReprocessRouteTest.ORIGINAL;
    static final String MANIFEST = ReprocessRouteTest.MANIFEST;

    private final S3Client s3 = LocalS3.shared().client();

    @BeforeEach
    void emptyBucket() {
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents()) {
            s3.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key()));
        }
    }

    @Test
    void aFocusIsWrittenToTheManifestShownInTheViewAndTheResizerIsAskedOnce() {
        putReadyFile();
        int before = resizerMessages().size();

        ApiResponse answer = patch("{\"focus\": {\"x\": 0.9, \"y\": 0.5}}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().at("/focus/x").asDouble()).isEqualTo(0.9);
        assertThat(answer.body().at("/focus/y").asDouble()).isEqualTo(0.5);
        assertThat(answer.body().at("/variants/thumb/url").asText()).as("the current variants keep being served").contains("/thumb.jpg");
        Manifest written = Manifest.read(s3, LocalS3.BUCKET, MANIFEST).orElseThrow();
        assertThat(written.focus()).isEqualTo(new Recipe.Focus(0.9, 0.5));
        assertThat(written.recipe()).as("stale until the resizer makes the variants again").isEqualTo("0123456789abcdef");
        assertThat(resizerMessages()).hasSize(before + 1);
        assertThat(ReprocessMessage.parse(resizerMessages().getLast().body())).contains(new ReprocessMessage(LocalS3.BUCKET, ORIGINAL, false));

        assertThat(patch("{\"focus\": {\"x\": 0.9, \"y\": 0.5}}").status()).as("the same focus again").isEqualTo(200);
        assertThat(resizerMessages()).as("nothing to make again").hasSize(before + 1);

        ApiResponse cleared = patch("{\"focus\": null, \"visibility\": \"private\"}");
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.body().get("focus").isNull()).isTrue();
        assertThat(Manifest.read(s3, LocalS3.BUCKET, MANIFEST).orElseThrow().focus()).isNull();
        assertThat(resizerMessages()).hasSize(before + 2);
    }

    @Test
    void aBadFocusIs400AndChangesNothing() {
        putReadyFile();
        int before = resizerMessages().size();
        for (String body : List.of("{\"focus\": {\"x\": 1.5, \"y\": 0.5}}", "{\"focus\": {\"x\": -0.1, \"y\": 0.5}}",
                "{\"focus\": {\"x\": \"0.5\", \"y\": 0.5}}", "{\"focus\": {\"x\": 0.5}}", "{\"focus\": {\"x\": 0.5, \"y\": 0.5, \"z\": 1}}",
                "{\"focus\": [0.5, 0.5]}", "{\"focus\": \"centre\"}", "{}", "{\"crop\": true}")) {
            ApiResponse answer = patch(body);

            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(body).startsWith("application/problem+json");
        }
        assertThat(patch("{\"focus\": {\"x\": 2, \"y\": 7}}").body().get("errors")).as("both axes named").hasSize(2);
        assertThat(Manifest.read(s3, LocalS3.BUCKET, MANIFEST).orElseThrow().focus()).isNull();
        assertThat(resizerMessages()).hasSize(before);
    }

    @Test
    void aFileNotReadyIs409AnUnknownOne404AndTheEleventhChangeInAMinute429() {
        assertThat(patch("{\"focus\": {\"x\": 0.5, \"y\": 0.5}}").status()).isEqualTo(404);
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(ORIGINAL).contentType("image/jpeg").metadata(Map.of("filename", "a.jpg")),
                RequestBody.fromBytes(new byte[100]));
        assertThat(patch("{\"focus\": {\"x\": 0.5, \"y\": 0.5}}").status()).as("still processing").isEqualTo(409);

        putReadyFile();
        for (int change = 0; change < Publication.CHANGES_PER_WINDOW; change++) {
            assertThat(patch("{\"focus\": {\"x\": " + (change % 2 == 0 ? 0.25 : 0.75) + ", \"y\": 0.5}}").status()).isEqualTo(200);
        }
        ApiResponse throttled = patch("{\"focus\": {\"x\": 0.5, \"y\": 0.5}}");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isNotBlank();
    }

    private static ApiResponse patch(String body) {
        return invoke(withBody(event("api-change-visibility.json"), body));
    }

    private void putReadyFile() {
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(ORIGINAL).contentType("image/jpeg").metadata(Map.of("filename", "a.jpg")),
                RequestBody.fromBytes(new byte[100]));
        Map<String, Manifest.VariantEntry> variants = new LinkedHashMap<>();
        variants.put("thumb", new Manifest.VariantEntry("variants/" + OWNER + "/" + FILE_ID + "/thumb.jpg", 240, 320, "image/jpeg", 10));
        Manifest manifest = new Manifest(2, FILE_ID, FileStatus.READY, null, null,
                new Manifest.Source(ORIGINAL, "etag", "a.jpg", "image/jpeg", 100, 3000, 4000, null, null),
                variants, null, "2026-11-21T10:00:00Z", null, null).withRecipe("0123456789abcdef");
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(MANIFEST).contentType("application/json"), RequestBody.fromBytes(manifest.toJson()));
    }

    private static List<SqsSendMessage.Message> resizerMessages() {
        return SqsSendMessage.shared().sent().stream().filter(message -> message.queueUrl().equals(SqsSendMessage.RESIZER_QUEUE_URL)).toList();
    }
}
