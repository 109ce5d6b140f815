package dev.mediagate.resizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.Libvips;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.local.events.LocalEventBus;
import dev.mediagate.local.lambda.SharpLibvips;
import dev.mediagate.testing.Images;
import dev.mediagate.testing.LocalS3;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code events/s3-batch-reprocess*.json}, S3 Batch Operations' invocation schema 2.0 as the S3 User Guide shows it
 * ("Invoking a Lambda function from Batch Operations", example request with schema 2.0, here naming an original),
 * replayed through the real handler against S3Proxy.
 */
@Tag("events")
class ReprocessHandlerTest {

    static final String OWNER = "ksbadydqkpcosn4zkgtwasmyjuchops2";
    static final String FILE_ID = "0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";
    static final String ORIGINAL = "originals/" + OWNER + "/" + FILE_ID;
    static final String VARIANTS = "variants/" + OWNER + "/" + FILE_ID + "/";
    static final String MANIFEST = VARIANTS + "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client client = LocalS3.shared().client();

    /** libvips is one per process: loaded from this machine's package, the handler's settings then find it loaded. */
    @org.junit.jupiter.api.BeforeAll
    static void loadLibvips() {
        Libvips.load(SharpLibvips.library(), 1);
    }

    @BeforeEach
    void emptyBucket() {
        for (S3Object object : client.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents()) {
            client.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key()));
        }
    }

    @Test
    void aStaleFileGetsNewVariantsUnderNewKeysInOneManifestWriteAndTheOldOnesAreMarkedSuperseded() throws Exception {
        processed();
        Manifest before = manifest();
        putManifest(new Manifest(1, before.fileId(), before.status(), before.reason(), before.visibility(), before.source(),
                before.variants(), before.placeholder(), before.processedAt(), null, null));
        int events = LocalEventBus.shared().entries().size();

        JsonNode response = replay("s3-batch-reprocess.json");

        assertThat(response.get("invocationSchemaVersion").asText()).isEqualTo("2.0");
        assertThat(response.get("treatMissingKeysAs").asText()).isEqualTo("PermanentFailure");
        assertThat(response.get("invocationId").asText()).isEqualTo("Jr3s8KZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZzatx7Ruy");
        JsonNode result = response.at("/results/0");
        assertThat(result.get("taskId").asText()).isEqualTo("y5R3a2lkZ29lc2hlurcS");
        assertThat(result.get("resultCode").asText()).isEqualTo("Succeeded");
        assertThat(result.get("resultString").asText()).startsWith("reprocessed: ready ").doesNotContain("\n");
        Manifest after = manifest();
        assertThat(after.version()).isEqualTo(2);
        assertThat(after.recipe()).isEqualTo(Recipe.of(Recipe.Config.from(testSettings()), null));
        assertThat(after.generation()).matches("g\\d{8}T\\d{6}-[0-9a-f]{12}");
        assertThat(after.variants().get("thumb").key()).isEqualTo(VARIANTS + after.generation() + "/thumb.jpg");
        assertThat(after.variants().get("thumb").alternates().get("image/webp").key())
                .isEqualTo(VARIANTS + after.generation() + "/thumb.webp");
        assertThat(keys()).contains(VARIANTS + after.generation() + "/large.jpg", VARIANTS + after.generation() + "/large.webp");
        // The old generation is still served (URLs handed out before still work) until the lifecycle rule removes it.
        for (String old : List.of(VARIANTS + "thumb.jpg", VARIANTS + "thumb.webp", VARIANTS + "large.jpg")) {
            var head = client.headObject(h -> h.bucket(LocalS3.BUCKET).key(old));
            assertThat(head.metadata()).as(old).containsKey(S3MediaBucket.SUPERSEDED_AT);
            assertThat(head.cacheControl()).isEqualTo(S3MediaBucket.VARIANT_CACHE_CONTROL);
            assertThat(head.contentType()).isEqualTo(old.endsWith(".webp") ? "image/webp" : "image/jpeg");
        }
        assertThat(LocalEventBus.shared().entries().subList(events, LocalEventBus.shared().entries().size()))
                .as("no file.uploaded: the manifest's own notification announces file.ready").isEmpty();
    }

    @Test
    void aSecondRunOfTheSameTaskFindsTheFileCurrentAndWritesNothing() throws Exception {
        processed();
        putManifest(manifest().withRecipe("0123456789abcdef"));
        assertThat(replay("s3-batch-reprocess.json").at("/results/0/resultCode").asText()).isEqualTo("Succeeded");
        Manifest first = manifest();
        List<String> keys = keys();

        JsonNode again = replay("s3-batch-reprocess.json").at("/results/0");

        assertThat(again.get("resultCode").asText()).isEqualTo("Succeeded");
        assertThat(again.get("resultString").asText()).isEqualTo("current: ready " + first.recipe());
        assertThat(manifest()).isEqualTo(first);
        assertThat(keys()).isEqualTo(keys);
    }

    @Test
    void forceMakesACurrentFileAgainUnderAnotherGeneration() throws Exception {
        processed();
        Manifest current = manifest();

        JsonNode plain = replay("s3-batch-reprocess.json").at("/results/0");
        JsonNode forced = replay("s3-batch-reprocess-force.json").at("/results/0");

        assertThat(plain.get("resultString").asText()).startsWith("current: ");
        assertThat(forced.get("taskId").asText()).isEqualTo("dGFza2lkZ29lc2hlcmUK");
        assertThat(forced.get("resultCode").asText()).isEqualTo("Succeeded");
        assertThat(forced.get("resultString").asText()).startsWith("reprocessed: ");
        assertThat(manifest().generation()).isNotNull();
        assertThat(manifest().recipe()).isEqualTo(current.recipe());
        assertThat(manifest().variants().get("medium").key()).isNotEqualTo(current.variants().get("medium").key());
    }

    @Test
    void aMissingOriginalIsAPermanentFailureWithOneLineSayingSo() throws Exception {
        JsonNode result = replay("s3-batch-reprocess-missing-key.json").at("/results/0");

        assertThat(result.get("taskId").asText()).isEqualTo("bWlzc2luZ2tleXRhc2sK");
        assertThat(result.get("resultCode").asText()).isEqualTo("PermanentFailure");
        assertThat(result.get("resultString").asText())
                .isEqualTo("no such original: originals/" + OWNER + "/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a");
    }

    @Test
    void aThrottledS3IsATemporaryFailureThatBatchOperationsRetries() throws Exception {
        processed();
        putManifest(manifest().withRecipe("0123456789abcdef"));

        JsonNode result = new ReprocessHandler(processorOn(throttling(client))).answer(event("s3-batch-reprocess.json"))
                .at("/results/0");

        assertThat(result.get("resultCode").asText()).isEqualTo("TemporaryFailure");
        assertThat(result.get("resultString").asText()).startsWith("retry: S3Exception").contains("SlowDown").doesNotContain("\n");
        assertThat(manifest().recipe()).isEqualTo("0123456789abcdef");
        assertThat(replay("s3-batch-reprocess.json").at("/results/0/resultString").asText()).startsWith("reprocessed: ");
    }

    @Test
    void anOriginalNeverProcessedIsProcessedAsANewUpload() throws Exception {
        putOriginal();

        JsonNode result = replay("s3-batch-reprocess.json").at("/results/0");

        assertThat(result.get("resultCode").asText()).isEqualTo("Succeeded");
        assertThat(result.get("resultString").asText()).isEqualTo("reprocessed: never processed, processed now: ready");
        assertThat(manifest().generation()).isNull();
        assertThat(keys()).contains(VARIANTS + "thumb.jpg");
    }

    @Test
    void aKeyOutsideOriginalsOrAnotherBucketIsAPermanentFailure() throws Exception {
        ObjectNodeEdit variantKey = event -> ((com.fasterxml.jackson.databind.node.ObjectNode) event.at("/tasks/0"))
                .put("s3Key", VARIANTS + "thumb.jpg");
        ObjectNodeEdit otherBucket = event -> ((com.fasterxml.jackson.databind.node.ObjectNode) event.at("/tasks/0"))
                .put("s3Bucket", "someone-elses-bucket");

        assertThat(answer(variantKey).at("/results/0/resultCode").asText()).isEqualTo("PermanentFailure");
        assertThat(answer(otherBucket).at("/results/0/resultString").asText())
                .isEqualTo("not an original: bucket someone-elses-bucket is not this stack's media bucket");
    }

    private interface ObjectNodeEdit {
        void apply(JsonNode event);
    }

    private JsonNode answer(ObjectNodeEdit edit) throws Exception {
        JsonNode event = event("s3-batch-reprocess.json");
        edit.apply(event);
        return new ReprocessHandler(testSettings()).answer(event);
    }

    /** The fixture through the handler's stream entry, as Lambda's runtime passes it. */
    private JsonNode replay(String fixture) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ReprocessHandler(testSettings()).handleRequest(
                new ByteArrayInputStream(S3Events.json(fixture).getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private static JsonNode event(String fixture) throws Exception {
        return JSON.readTree(S3Events.json(fixture));
    }

    private void processed() {
        putOriginal();
        new ImageResizerHandler(testSettings()).handle(S3Events.event("s3-object-created.json"));
        assertThat(manifest().isReady()).isTrue();
    }

    private void putOriginal() {
        client.putObject(p -> p.bucket(LocalS3.BUCKET).key(ORIGINAL).contentType("image/jpeg"),
                RequestBody.fromBytes(Images.jpeg(Images.quadrants(640, 480))));
    }

    private Manifest manifest() {
        return Manifest.read(client, LocalS3.BUCKET, MANIFEST).orElseThrow();
    }

    private void putManifest(Manifest manifest) {
        client.putObject(p -> p.bucket(LocalS3.BUCKET).key(MANIFEST).contentType("application/json"),
                RequestBody.fromBytes(manifest.toJson()));
    }

    private List<String> keys() {
        return client.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents().stream().map(S3Object::key).sorted().toList();
    }

    private static Settings testSettings() {
        return new Settings(System::getProperty);
    }

    private static MediaProcessor processorOn(S3Client s3) {
        Settings settings = testSettings();
        return new MediaProcessor(s3, LocalS3.BUCKET, ImageResizerHandler.DEFAULT_MAX_IMAGE_BYTES,
                new ImagePipeline(ResizeConfig.from(settings), Libvips.load(SharpLibvips.library(), 1)), Clock.systemUTC(),
                dev.mediagate.core.metrics.Metrics.toStandardOutput("reprocess"), dev.mediagate.events.EventBus.from(settings));
    }

    /** The real client, except that S3 answers every request 503 SlowDown, as it does past a prefix's request rate. */
    private static S3Client throttling(S3Client real) {
        Map<String, Integer> calls = new HashMap<>();
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("headObject") || method.getName().startsWith("get")) {
                        calls.merge(method.getName(), 1, Integer::sum);
                        throw S3Exception.builder().statusCode(503).message("Please reduce your request rate.")
                                .awsErrorDetails(AwsErrorDetails.builder().errorCode("SlowDown").errorMessage("Please reduce your request rate.").build())
                                .build();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
