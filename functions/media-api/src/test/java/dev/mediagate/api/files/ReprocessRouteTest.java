package dev.mediagate.api.files;

import static dev.mediagate.api.ApiEvents.event;
import static dev.mediagate.api.ApiEvents.invoke;
import static dev.mediagate.api.ApiEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code events/api-service-reprocess.json} through the real handler: 200 for a current file, 202 once the resizer is asked. */
@Tag("events")
class ReprocessRouteTest {

    static final String OWNER = "ksbadydqkpcosn4zkgtwasmyjuchops2";
    static final String FILE_ID = "0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";
    static final String ORIGINAL = "originals/" + OWNER + "/" + FILE_ID;
    static final String MANIFEST = "variants/" + OWNER + "/" + FILE_ID + "/manifest.json";
    /** What the fixture's stage variable names: the template's defaults. */
    static final Recipe.Config TODAY = new Recipe.Config(Recipe.DEFAULT_VARIANTS, Recipe.DEFAULT_FORMATS, Recipe.DEFAULT_JPEG_QUALITY);

    private final S3Client s3 = LocalS3.shared().client();

    @BeforeEach
    void emptyBucket() {
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents()) {
            s3.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key()));
        }
    }

    @Test
    void aCurrentFileIsAnswered200AndNothingIsQueued() {
        putFile(Manifest.READY, manifest -> manifest.withRecipe(Recipe.of(TODAY, null)));
        int before = resizerMessages().size();

        ApiResponse answer = invoke(event("api-service-reprocess.json"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("fileId").asText()).isEqualTo(FILE_ID);
        assertThat(answer.body().get("status").asText()).isEqualTo("ready");
        assertThat(answer.body().get("recipe").asText()).isEqualTo(Recipe.of(TODAY, null));
        assertThat(resizerMessages()).hasSize(before);
    }

    @Test
    void aStaleFileIsQueuedForTheResizerAndAnswered202() {
        putFile(Manifest.READY, manifest -> manifest.withRecipe("0123456789abcdef"));

        ApiResponse answer = invoke(event("api-service-reprocess.json"));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body().get("status").asText()).as("the file as it stands: its variants keep being served").isEqualTo("ready");
        assertThat(answer.body().get("recipe").asText()).isEqualTo("0123456789abcdef");
        assertThat(ReprocessMessage.parse(resizerMessages().getLast().body()))
                .contains(new ReprocessMessage(LocalS3.BUCKET, ORIGINAL, false));
    }

    @Test
    void forceQueuesACurrentFileWithTheFlagAndARejectedFileCanBeReprocessed() {
        putFile(Manifest.READY, manifest -> manifest.withRecipe(Recipe.of(TODAY, null)));
        ApiResponse forced = invoke(withBody(event("api-service-reprocess.json"), "{\"force\": true}"));
        assertThat(forced.status()).isEqualTo(202);
        assertThat(ReprocessMessage.parse(resizerMessages().getLast().body())).contains(new ReprocessMessage(LocalS3.BUCKET, ORIGINAL, true));

        putFile(Manifest.REJECTED, manifest -> manifest.withRecipe("0123456789abcdef"));
        ApiResponse rejected = invoke(event("api-service-reprocess.json"));
        assertThat(rejected.status()).isEqualTo(202);
        assertThat(rejected.body().get("status").asText()).isEqualTo("rejected");
    }

    @Test
    void aFocusIsPartOfTheRecipeTheApiExpects() {
        Recipe.Focus focus = new Recipe.Focus(0.9, 0.5);
        putFile(Manifest.READY, manifest -> manifest.withFocus(focus).withRecipe(Recipe.of(TODAY, focus)));
        assertThat(invoke(event("api-service-reprocess.json")).status()).isEqualTo(200);

        putFile(Manifest.READY, manifest -> manifest.withFocus(focus).withRecipe(Recipe.of(TODAY, null)));
        assertThat(invoke(event("api-service-reprocess.json")).status()).isEqualTo(202);
    }

    @Test
    void withoutTheStagesConfigurationEveryRequestIsQueued() {
        putFile(Manifest.READY, manifest -> manifest.withRecipe(Recipe.of(TODAY, null)));
        ObjectNode noVariables = event("api-service-reprocess.json");
        noVariables.remove("stageVariables");
        ObjectNode malformed = event("api-service-reprocess.json");
        ((ObjectNode) malformed.get("stageVariables")).put("resizerConfig", "variants=thumb=320x320");

        assertThat(invoke(noVariables).status()).isEqualTo(202);
        assertThat(invoke(malformed).status()).isEqualTo(202);
    }

    @Test
    void anOriginalNeverProcessedIsQueuedAsARepairAndAnUnknownFileIsNotFound() {
        ApiResponse unknown = invoke(event("api-service-reprocess.json"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");

        putOriginal();
        ApiResponse processing = invoke(event("api-service-reprocess.json"));
        assertThat(processing.status()).isEqualTo(202);
        assertThat(processing.body().get("status").asText()).isEqualTo("processing");
    }

    @Test
    void aBadBodyIs400ProblemJsonAndNothingIsQueued() {
        putFile(Manifest.READY, manifest -> manifest.withRecipe("0123456789abcdef"));
        int before = resizerMessages().size();
        for (String body : List.of("{\"force\": \"yes\"}", "{\"force\": 1}", "{\"focus\": null}", "[]", "{\"force\": true,")) {
            ApiResponse answer = invoke(withBody(event("api-service-reprocess.json"), body));

            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(body).startsWith("application/problem+json");
        }
        assertThat(resizerMessages()).hasSize(before);
        assertThat(invoke(withBody(event("api-service-reprocess.json"), "")).status()).as("no body: force false").isEqualTo(202);
    }

    @Test
    void aUserTokenIsForbidden() {
        putFile(Manifest.READY, manifest -> manifest.withRecipe("0123456789abcdef"));
        ObjectNode userToken = event("api-service-reprocess.json");
        ((ObjectNode) userToken.at("/requestContext/authorizer/jwt/claims")).remove("scope");

        assertThat(invoke(userToken).status()).isEqualTo(403);
    }

    @Test
    void theServiceViewSaysWhetherTheRecipeIsStaleWhenTheStageTellsTodaysConfiguration() {
        putFile(FileStatus.READY, manifest -> manifest.withRecipe(Recipe.of(TODAY, null)));
        ObjectNode view = serviceView();
        assertThat(invoke(view).body().get("stale").asBoolean(true)).isFalse();
        assertThat(invoke(view).body().get("focus").isNull()).as("the view's fields as before").isTrue();

        putFile(FileStatus.READY, manifest -> manifest.withRecipe("0123456789abcdef"));
        assertThat(invoke(view).body().get("stale").asBoolean(false)).isTrue();

        view.remove("stageVariables");
        assertThat(invoke(view).body().has("stale")).as("the API cannot tell").isFalse();
        assertThat(invoke(view).body().get("recipe").asText()).isEqualTo("0123456789abcdef");
    }

    /** {@code events/api-service-get-file.json} with the stage variable the reprocess fixture carries. */
    private static ObjectNode serviceView() {
        ObjectNode view = event("api-service-get-file.json");
        view.set("stageVariables", event("api-service-reprocess.json").get("stageVariables").deepCopy());
        return view;
    }

    @Test
    void theStageVariableParsesAsTheTemplateWritesIt() {
        assertThat(Recipe.Config.fromStageVariable("variants=thumb=320x320,medium=1024x1024,large=2048x2048&formats=webp&jpegQuality=82"))
                .contains(TODAY);
        assertThat(Recipe.Config.fromStageVariable("variants=a=1x1:cover&formats=&jpegQuality=100")).contains(new Recipe.Config("a=1x1:cover", "", 100));
        assertThat(Recipe.Config.fromStageVariable("variants=a=1x1&formats=webp&jpegQuality=0")).isEmpty();
        assertThat(Recipe.Config.fromStageVariable("variants=a=1x1&formats=webp&formats=avif&jpegQuality=82")).isEmpty();
    }

    private void putOriginal() {
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(ORIGINAL).contentType("image/jpeg").metadata(Map.of("filename", "a.jpg")),
                RequestBody.fromBytes(new byte[100]));
    }

    private void putFile(FileStatus status, UnaryOperator<Manifest> change) {
        putOriginal();
        Map<String, Manifest.VariantEntry> variants = new LinkedHashMap<>();
        if (status == FileStatus.READY) {
            variants.put("thumb", new Manifest.VariantEntry("variants/" + OWNER + "/" + FILE_ID + "/thumb.jpg", 240, 320, "image/jpeg", 10));
        }
        Manifest manifest = change.apply(new Manifest(2, FILE_ID, status, status == FileStatus.READY ? null : "too-many-pixels", null,
                new Manifest.Source(ORIGINAL, "etag", "a.jpg", "image/jpeg", 100, 3000, 4000, null, null),
                variants, null, "2026-11-21T10:00:00Z", null, null));
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(MANIFEST).contentType("application/json"), RequestBody.fromBytes(manifest.toJson()));
    }

    private static List<SqsSendMessage.Message> resizerMessages() {
        return SqsSendMessage.shared().sent().stream().filter(message -> message.queueUrl().equals(SqsSendMessage.RESIZER_QUEUE_URL)).toList();
    }
}
