package dev.mediagate.resizer;

import dev.mediagate.imaging.Libvips;
import dev.mediagate.imaging.VariantFormat;
import dev.mediagate.local.lambda.SharpLibvips;
import java.util.Set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.Recipe;
import dev.mediagate.imaging.ImagePipeline;
import dev.mediagate.imaging.ResizeConfig;
import dev.mediagate.testing.Images;
import dev.mediagate.local.events.LocalEventBus;
import dev.mediagate.testing.LocalS3;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectTaggingRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code events/s3-object-created.json} through the real handler against S3Proxy. */
@Tag("events")
class ImageResizerHandlerTest {

    static final String ORIGINAL = "originals/ksbadydqkpcosn4zkgtwasmyjuchops2/0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";
    static final String VARIANTS = "variants/ksbadydqkpcosn4zkgtwasmyjuchops2/0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalS3 s3 = LocalS3.shared();
    private final S3Client client = s3.client();

    @BeforeEach
    void emptyBucket() {
        for (S3Object object : client.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents()) {
            client.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key()));
        }
    }

    @Test
    void writesEveryVariantWithImmutableCachingThenTheManifest() throws Exception {
        putOriginal(Images.withMetadata(Images.jpeg(Images.quadrants(1600, 1200)), 6, true, 0), "image/jpeg");

        String result = new ImageResizerHandler(testSettings()).handle(S3Events.event("s3-object-created.json"));

        assertThat(JSON.readTree(result).get(0).get("outcome").asText()).isEqualTo("ready");
        JsonNode manifest = JSON.readTree(client.getObjectAsBytes(g -> g.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json")).asByteArray());
        assertThat(manifest.get("version").asInt()).isEqualTo(2);
        assertThat(manifest.get("recipe").asText()).isEqualTo(Recipe.of(Recipe.Config.from(testSettings()), null));
        assertThat(manifest.get("fileId").asText()).isEqualTo("0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d");
        assertThat(manifest.get("status").asText()).isEqualTo("ready");
        assertThat(manifest.get("reason").isNull()).isTrue();
        assertThat(manifest.at("/source/key").asText()).isEqualTo(ORIGINAL);
        assertThat(manifest.at("/source/contentType").asText()).isEqualTo("image/jpeg");
        assertThat(manifest.at("/source/width").asInt()).isEqualTo(1200);
        assertThat(manifest.at("/source/height").asInt()).isEqualTo(1600);
        assertThat(manifest.at("/source/etag").asText()).isEqualTo(head(ORIGINAL).eTag().replace("\"", ""));
        assertThat(manifest.get("placeholder").asText()).startsWith("data:image/jpeg;base64,");
        byte[] thumbhash = java.util.Base64.getDecoder().decode(manifest.get("thumbhash").asText());
        assertThat(thumbhash[4] & 0x80).as("ThumbHash's landscape flag: the upright picture is portrait").isZero();
        assertThat(manifest.get("dominantColor").asText()).matches("#[0-9a-f]{6}");
        assertThat(manifest.get("animated").asBoolean(true)).isFalse();
        assertThat(manifest.has("focus")).isFalse();
        assertThat(manifest.get("processedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(manifest.get("variants").properties()).extracting(Map.Entry::getKey).containsExactly("thumb", "medium", "large");
        assertVariant(manifest.at("/variants/thumb"), "thumb.jpg", 240, 320);
        assertVariant(manifest.at("/variants/medium"), "medium.jpg", 768, 1024);
        assertVariant(manifest.at("/variants/large"), "large.jpg", 1200, 1600);
    }

    @Test
    void anAnimatedGifIsReadyWithItsFramesAndDurationAndAnimatedWebpAlternates() throws Exception {
        java.util.List<java.awt.image.BufferedImage> frames = java.util.List.of(Images.quadrants(90, 60), Images.quadrants(90, 60),
                Images.quadrants(90, 60));
        frames.get(1).setRGB(5, 5, 0xff00ff);
        putOriginal(Images.animatedGif(frames, java.util.List.of(100, 200, 300)), "image/gif");

        String result = new ImageResizerHandler(testSettings()).handle(S3Events.event("s3-object-created.json"));

        assertThat(JSON.readTree(result).get(0).get("outcome").asText()).isEqualTo("ready");
        JsonNode manifest = JSON.readTree(client.getObjectAsBytes(g -> g.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json")).asByteArray());
        assertThat(manifest.get("animated").asBoolean()).isTrue();
        assertThat(manifest.at("/source/frames").asInt()).isEqualTo(3);
        assertThat(manifest.at("/source/durationMs").asInt()).isEqualTo(600);
        byte[] webp = client.getObjectAsBytes(g -> g.bucket(LocalS3.BUCKET).key(manifest.at("/variants/thumb/alternates/image~1webp/key")
                .asText())).asByteArray();
        // An animated WebP: a VP8X chunk with the animation flag (bit 1 of its first byte) and an ANIM chunk.
        assertThat(new String(webp, 12, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("VP8X");
        assertThat(webp[20] & 0x02).isNotZero();
        assertThat(new String(webp, 30, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ANIM");
    }

    @Test
    void decodesEveryKeyAndSkipsTheOnesOutsideTheOriginalsScheme() throws Exception {
        putOriginal(Images.jpeg(Images.quadrants(64, 48)), "image/jpeg");

        JsonNode results = JSON.readTree(new ImageResizerHandler(testSettings()).handle(S3Events.event("s3-object-created.json")));

        assertThat(results).hasSize(2);
        assertThat(results.get(1).get("key").asText()).isEqualTo("originals/imports/Été 2026/IMG 0001.jpg");
        assertThat(results.get(1).get("outcome").asText()).isEqualTo("skipped");
    }

    @Test
    void ignoresAKeyUnderVariants() throws Exception {
        String event = S3Events.json("s3-object-created.json").replace(ORIGINAL, VARIANTS + "thumb.jpg");
        client.putObject(p -> p.bucket(LocalS3.BUCKET).key(VARIANTS + "thumb.jpg").contentType("image/jpeg"),
                RequestBody.fromBytes(Images.jpeg(Images.quadrants(64, 48))));

        JsonNode results = JSON.readTree(new ImageResizerHandler(testSettings()).handle(S3Events.parse(event)));

        assertThat(results.get(0).get("outcome").asText()).isEqualTo("skipped");
        assertThat(keys()).containsExactly(VARIANTS + "thumb.jpg");
    }

    @Test
    void anImageLargerThanMaxImageBytesIsRejectedTooLargeWithoutBeingRead() throws Exception {
        byte[] photo = Images.jpeg(Images.quadrants(640, 480));
        putOriginal(photo, "image/jpeg");
        List<String> reads = new java.util.ArrayList<>();

        JsonNode results = JSON.readTree(handlerWith(countingReads(reads), photo.length - 1).handle(S3Events.event("s3-object-created.json")));

        assertThat(results.get(0).get("reason").asText()).isEqualTo("too-large");
        assertThat(reads).as("reads of the original; the manifest lookup is the only read").containsExactly("getObjectAsBytes");
        assertThat(JSON.readTree(client.getObjectAsBytes(g -> g.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json")).asByteArray())
                .get("reason").asText()).isEqualTo("too-large");
    }

    @Test
    void theOriginalIsStreamedIntoNativeMemoryNeverReadWholeOntoTheHeap() throws Exception {
        byte[] photo = Images.jpeg(Images.quadrants(640, 480));
        putOriginal(photo, "image/jpeg");
        List<String> reads = new java.util.ArrayList<>();

        JsonNode results = JSON.readTree(handlerWith(countingReads(reads), photo.length).handle(S3Events.event("s3-object-created.json")));

        assertThat(results.get(0).get("outcome").asText()).isEqualTo("ready");
        assertThat(reads).as("the manifest lookup reads a small object whole; the original is a stream").containsExactly("getObjectAsBytes", "getObject");
    }

    @Test
    void primingBeforeASnapshotTouchesNoS3AndLeavesTheHandlerReadyForTheFirstUpload() throws Exception {
        List<String> calls = new java.util.ArrayList<>();
        S3Client recording = (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    calls.add(method.getName());
                    try {
                        return method.invoke(client, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ImageResizerHandler handler = handlerWith(recording);

        handler.beforeCheckpoint(null);
        handler.afterRestore(null);

        assertThat(calls).as("S3 calls while priming").isEmpty();
        putOriginal(Images.jpeg(Images.quadrants(640, 480)), "image/jpeg");
        JsonNode results = JSON.readTree(handler.handle(S3Events.event("s3-object-created.json")));
        assertThat(results.get(0).get("outcome").asText()).isEqualTo("ready");
    }

    /** The test's S3 client, noting the name of every read call made through it. */
    private S3Client countingReads(List<String> reads) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    // Reading the original's tags (to merge a rejection mark into them) reads no bytes.
                    if (method.getName().startsWith("getObject") && !method.getName().equals("getObjectTagging")) {
                        reads.add(method.getName());
                    }
                    try {
                        Object result = method.invoke(client, args);
                        // A manifest found (re-read after a write whose answer was lost) is not a read of the original.
                        if (result instanceof software.amazon.awssdk.core.ResponseBytes<?> bytes
                                && bytes.response() instanceof software.amazon.awssdk.services.s3.model.GetObjectResponse response
                                && "application/json".equals(response.contentType())) {
                            reads.remove(reads.size() - 1);
                        }
                        return result;
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aDuplicateDeliveryRewritesNothing() throws Exception {
        putOriginal(Images.jpeg(Images.quadrants(640, 480)), "image/jpeg");
        ImageResizerHandler handler = new ImageResizerHandler(testSettings());
        handler.handle(S3Events.event("s3-object-created.json"));
        HeadObjectResponse before = head(VARIANTS + "manifest.json");

        JsonNode again = JSON.readTree(handler.handle(S3Events.event("s3-object-created.json")));

        assertThat(again.get(0).get("outcome").asText()).isEqualTo("skipped");
        assertThat(again.get(0).get("reason").asText()).isEqualTo("already processed");
        assertThat(head(VARIANTS + "manifest.json").lastModified()).isEqualTo(before.lastModified());
    }

    @Test
    void anS3FaultWhileWritingVariantsThrowsAndLeavesNoManifestThenTheRetryCompletes() throws Exception {
        putOriginal(Images.jpeg(Images.quadrants(640, 480)), "image/jpeg");
        ImageResizerHandler failing = handlerWith(failingOnPut(client, 2));

        assertThatThrownBy(() -> failing.handle(S3Events.event("s3-object-created.json")))
                .isInstanceOf(SdkClientException.class);
        assertThat(keys()).containsExactly(ORIGINAL);

        new ImageResizerHandler(testSettings()).handle(S3Events.event("s3-object-created.json"));
        assertThat(keys()).contains(VARIANTS + "thumb.jpg", VARIANTS + "medium.jpg", VARIANTS + "large.jpg", VARIANTS + "manifest.json");
    }

    @Test
    void aTimeoutWhileWritingVariantsLeavesNothingBeyondTheOriginalThenTheRetryCompletes() throws Exception {
        putOriginal(Images.jpeg(Images.quadrants(640, 480)), "image/jpeg");
        ImageResizerHandler slow = handlerWith(failingOnPut(client, 3,
                () -> software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(20_000)));

        assertThatThrownBy(() -> slow.handle(S3Events.event("s3-object-created.json")))
                .isInstanceOf(software.amazon.awssdk.core.exception.ApiCallTimeoutException.class);
        assertThat(keys()).containsExactly(ORIGINAL);

        new ImageResizerHandler(testSettings()).handle(S3Events.event("s3-object-created.json"));
        assertThat(keys()).containsExactlyInAnyOrder(ORIGINAL, VARIANTS + "thumb.jpg", VARIANTS + "medium.jpg",
                VARIANTS + "large.jpg", VARIANTS + "thumb.webp", VARIANTS + "medium.webp", VARIANTS + "large.webp",
                VARIANTS + "manifest.json");
    }

    @Test
    void aProcessKilledBetweenVariantsLeavesNoManifestAndTheRetryWritesTheFullSet() throws Exception {
        putOriginal(Images.jpeg(Images.quadrants(640, 480)), "image/jpeg");
        ImageResizerHandler killed = handlerWith(failingOnPut(client, 2, () -> new KilledProcess()));

        assertThatThrownBy(() -> killed.handle(S3Events.event("s3-object-created.json"))).isInstanceOf(KilledProcess.class);
        assertThat(keys()).doesNotContain(VARIANTS + "manifest.json");

        JsonNode retry = JSON.readTree(new ImageResizerHandler(testSettings()).handle(S3Events.event("s3-object-created.json")));
        assertThat(retry.get(0).get("outcome").asText()).isEqualTo("ready");
        assertThat(keys()).containsExactlyInAnyOrder(ORIGINAL, VARIANTS + "thumb.jpg", VARIANTS + "medium.jpg",
                VARIANTS + "large.jpg", VARIANTS + "thumb.webp", VARIANTS + "medium.webp", VARIANTS + "large.webp",
                VARIANTS + "manifest.json");
    }

    /** Stands for the runtime stopping the process mid-invocation: an Error, which no code path handles. */
    @Test
    void aFailureNoRetryCouldCureIsAnnouncedFailedAtOnceInsteadOfRetried() throws Exception {
        putOriginal(Images.jpeg(Images.quadrants(640, 480)), "image/jpeg");
        client.putObject(p -> p.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json"), RequestBody.fromString("{not json"));
        int before = LocalEventBus.shared().entries().size();

        JsonNode results = JSON.readTree(new ImageResizerHandler(testSettings()).handle(S3Events.event("s3-object-created.json")));

        assertThat(results.get(0).get("outcome").asText()).isEqualTo("failed");
        List<LocalEventBus.Entry> published = LocalEventBus.shared().entries().subList(before, LocalEventBus.shared().entries().size());
        assertThat(published).extracting(LocalEventBus.Entry::detailType).containsExactly("file.failed");
        JsonNode failed = JSON.readTree(published.get(0).detail());
        assertThat(failed.at("/data/fileId").asText()).isEqualTo("0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d");
        assertThat(failed.at("/data/reason").asText()).isEqualTo("processing-error");
    }

    /**
     * EventBridge throttles by refusing entries of a successful call: the event is retried, the file is not given up
     * on, and the retry makes it ready.
     */
    @Test
    void aThrottledEventIsRetriedNotAnnouncedAsFailed() throws Exception {
        putOriginal(Images.jpeg(Images.quadrants(64, 48)), "image/jpeg");
        LocalEventBus bus = LocalEventBus.shared();
        int before = bus.entries().size();
        bus.refuseNext(1, "ThrottlingException");

        assertThatThrownBy(() -> new ImageResizerHandler(testSettings()).handle(S3Events.event("s3-object-created.json")))
                .isInstanceOf(dev.mediagate.events.EventRefusedException.class).hasMessageContaining("ThrottlingException");
        assertThat(bus.entries().subList(before, bus.entries().size())).extracting(LocalEventBus.Entry::detailType)
                .doesNotContain("file.failed");
        assertThat(keys()).containsExactly(ORIGINAL);

        JsonNode retry = JSON.readTree(new ImageResizerHandler(testSettings()).handle(S3Events.event("s3-object-created.json")));
        assertThat(retry.get(0).get("outcome").asText()).isEqualTo("ready");
        assertThat(bus.entries().subList(before, bus.entries().size())).extracting(LocalEventBus.Entry::detailType)
                .containsExactly("file.uploaded");
    }

    @Test
    void anSqsBatchOfS3NotificationsIsProcessedAndS3sTestMessageIgnored() throws Exception {
        putOriginal(Images.jpeg(Images.quadrants(640, 480)), "image/jpeg");

        SQSBatchResponse response = handlerWith(client).handleRequest(S3Events.sqs(S3Events.json("sqs-s3-object-created.json")), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(keys()).contains(VARIANTS + "manifest.json");
    }

    @Test
    void onlyTheMessageWhoseProcessingFailedIsReportedAndItIsNotAnnouncedBeforeTheLastReceive() throws Exception {
        putOriginal(Images.jpeg(Images.quadrants(640, 480)), "image/jpeg");
        int before = LocalEventBus.shared().entries().size();

        SQSBatchResponse response = handlerWith(failingOnPut(client, 2))
                .handleRequest(S3Events.sqs(S3Events.json("sqs-s3-object-created.json")), null);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(FIRST_MESSAGE_ID);
        assertThat(keys()).doesNotContain(VARIANTS + "manifest.json");
        assertThat(LocalEventBus.shared().entries().subList(before, LocalEventBus.shared().entries().size()))
                .extracting(LocalEventBus.Entry::detailType).doesNotContain("file.failed");
    }

    @Test
    void aTransientFailureOnTheLastAttemptIsAnnouncedWithItsReasonAndTheMessageIsDoneWith() throws Exception {
        putOriginal(Images.jpeg(Images.quadrants(640, 480)), "image/jpeg");
        int before = LocalEventBus.shared().entries().size();
        String lastAttempt = S3Events.json("sqs-s3-object-created.json")
                .replace("\"ApproximateReceiveCount\": \"1\"", "\"ApproximateReceiveCount\": \"" + (ImageResizerHandler.DEFAULT_MAX_RECEIVE_COUNT - 1) + "\"");

        SQSBatchResponse response = handlerWith(failingOnPut(client, 2)).handleRequest(S3Events.sqs(lastAttempt), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        List<LocalEventBus.Entry> published = LocalEventBus.shared().entries().subList(before, LocalEventBus.shared().entries().size());
        assertThat(published).extracting(LocalEventBus.Entry::detailType).containsExactly("file.uploaded", "file.failed");
        assertThat(JSON.readTree(published.get(1).detail()).at("/data/reason").asText()).isEqualTo("storage-unavailable");
    }

    @Test
    void theQueuesLastReceiveProcessesNothingAnnouncesFileFailedAndLeavesTheMessageToTheFailureQueue() throws Exception {
        putOriginal(Images.jpeg(Images.quadrants(640, 480)), "image/jpeg");
        int before = LocalEventBus.shared().entries().size();
        String lastReceive = S3Events.json("sqs-s3-object-created.json")
                .replace("\"ApproximateReceiveCount\": \"1\"", "\"ApproximateReceiveCount\": \"" + ImageResizerHandler.DEFAULT_MAX_RECEIVE_COUNT + "\"");

        SQSBatchResponse response = handlerWith(client).handleRequest(S3Events.sqs(lastReceive), null);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(FIRST_MESSAGE_ID, SECOND_MESSAGE_ID);
        assertThat(keys()).containsExactly(ORIGINAL);
        List<LocalEventBus.Entry> published = LocalEventBus.shared().entries().subList(before, LocalEventBus.shared().entries().size());
        assertThat(published).extracting(LocalEventBus.Entry::detailType).containsExactly("file.failed");
        assertThat(JSON.readTree(published.get(0).detail()).at("/data/fileId").asText()).isEqualTo("0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d");
    }

    @Test
    void aMessageThatIsNotAnS3NotificationIsReportedSoItEndsInTheFailureQueue() throws Exception {
        String batch = S3Events.json("sqs-s3-object-created.json").replaceFirst("\"body\": \"\\{", "\"body\": \"[{");

        SQSBatchResponse response = handlerWith(client).handleRequest(S3Events.sqs(batch), null);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(FIRST_MESSAGE_ID);
    }

    static final String FIRST_MESSAGE_ID = "9d2f6a8e-1c4b-4e7a-b3d5-0f8e7c6b5a41";
    static final String SECOND_MESSAGE_ID = "c81e728d-9d4c-4f63-a7e2-5b1d0c9e8f72";

    static final class KilledProcess extends Error {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void aBadImageGetsARejectedManifestWithItsReasonAndNoVariants() throws Exception {
        putOriginal("this is not a picture".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "image/jpeg");
        List<PutObjectTaggingRequest> tagging = new java.util.ArrayList<>();

        JsonNode results = JSON.readTree(handlerWith(recordingTagging(client, tagging))
                .handle(S3Events.event("s3-object-created.json")));

        assertThat(results.get(0).get("outcome").asText()).isEqualTo("rejected");
        JsonNode manifest = JSON.readTree(client.getObjectAsBytes(g -> g.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json")).asByteArray());
        assertThat(manifest.get("status").asText()).isEqualTo("rejected");
        assertThat(manifest.get("reason").asText()).isEqualTo("not-an-image");
        assertThat(manifest.get("variants").size()).isZero();
        assertThat(keys()).containsExactlyInAnyOrder(ORIGINAL, VARIANTS + "manifest.json");
        assertThat(tagging).singleElement().satisfies(request -> {
            assertThat(request.key()).isEqualTo(ORIGINAL);
            assertThat(request.tagging().tagSet()).extracting(tag -> tag.key() + "=" + tag.value())
                    .containsExactly("mediagate-status=rejected");
        });
    }

    @Test
    void aStoreWithoutObjectTagsStillGetsTheRejectedManifest() throws Exception {
        putOriginal(new byte[0], "image/png");

        JsonNode results = JSON.readTree(new ImageResizerHandler(testSettings()).handle(S3Events.event("s3-object-created.json")));

        assertThat(results.get(0).get("outcome").asText()).isEqualTo("rejected");
        assertThat(keys()).contains(VARIANTS + "manifest.json");
    }

    @Test
    void aPdfBecomesReadyWithoutVariants() throws Exception {
        putOriginal("%PDF-1.7\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "application/pdf");

        new ImageResizerHandler(testSettings()).handle(S3Events.event("s3-object-created.json"));

        JsonNode manifest = JSON.readTree(client.getObjectAsBytes(g -> g.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json")).asByteArray());
        assertThat(manifest.get("status").asText()).isEqualTo("ready");
        assertThat(manifest.get("variants").size()).isZero();
        assertThat(manifest.at("/source/width").isNull()).isTrue();
        assertThat(manifest.get("recipe").asText()).isEqualTo(Recipe.DOCUMENT);
    }

    @Test
    void aLargeDocumentIsCheckedByItsFirstBytesAloneAndBecomesReady() throws Exception {
        byte[] pdf = dev.mediagate.testing.Documents.pdf(48 * 1024 * 1024);
        putOriginal(pdf, "application/pdf");
        List<Integer> bytesRead = new java.util.ArrayList<>();
        S3Client measuringReads = (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(client, args);
                        if (result instanceof software.amazon.awssdk.core.ResponseBytes<?> bytes
                                && !(bytes.response() instanceof software.amazon.awssdk.services.s3.model.GetObjectResponse read
                                        && "application/json".equals(read.contentType()))) {
                            bytesRead.add(bytes.asByteArray().length);
                        }
                        if (result instanceof software.amazon.awssdk.core.ResponseInputStream<?> stream
                                && stream.response() instanceof software.amazon.awssdk.services.s3.model.GetObjectResponse response) {
                            bytesRead.add(Math.toIntExact(response.contentLength()));
                        }
                        return result;
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        JsonNode results = JSON.readTree(handlerWith(measuringReads).handle(S3Events.event("s3-object-created.json")));

        assertThat(results.get(0).get("outcome").asText()).isEqualTo("ready");
        assertThat(bytesRead).as("bytes of each read: the original's first bytes only").isNotEmpty()
                .allMatch(length -> length <= dev.mediagate.imaging.FormatSniffer.PREFIX_BYTES);
        JsonNode manifest = JSON.readTree(client.getObjectAsBytes(g -> g.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json")).asByteArray());
        assertThat(manifest.at("/source/size").asLong()).isEqualTo(pdf.length);
    }

    @Test
    void aLargeFileThatIsNotTheDocumentItClaimsIsATypeMismatch() throws Exception {
        byte[] notPdf = new byte[1024 * 1024];
        putOriginal(notPdf, "application/pdf");

        JsonNode results = JSON.readTree(new ImageResizerHandler(testSettings()).handle(S3Events.event("s3-object-created.json")));

        assertThat(results.get(0).get("reason").asText()).isEqualTo("type-mismatch");
    }

    private void assertVariant(JsonNode entry, String name, int width, int height) {
        assertThat(entry.get("key").asText()).isEqualTo(VARIANTS + name);
        assertThat(entry.get("width").asInt()).isEqualTo(width);
        assertThat(entry.get("height").asInt()).isEqualTo(height);
        assertThat(entry.get("contentType").asText()).isEqualTo("image/jpeg");
        HeadObjectResponse stored = head(VARIANTS + name);
        assertThat(stored.contentType()).isEqualTo("image/jpeg");
        assertThat(stored.cacheControl()).isEqualTo("public, max-age=31536000, immutable");
        assertThat(stored.contentLength()).isEqualTo(entry.get("size").asLong());
        var decoded = Images.read(client.getObjectAsBytes(g -> g.bucket(LocalS3.BUCKET).key(VARIANTS + name)).asByteArray());
        assertThat(decoded.getWidth()).isEqualTo(width);
        assertThat(decoded.getHeight()).isEqualTo(height);
        // VARIANT_FORMATS' default: the same variant as WebP, beside it, with the same headers.
        String webpName = name.replace(".jpg", ".webp");
        JsonNode webp = entry.at("/alternates/image~1webp");
        assertThat(webp.get("key").asText()).isEqualTo(VARIANTS + webpName);
        HeadObjectResponse storedWebp = head(VARIANTS + webpName);
        assertThat(storedWebp.contentType()).isEqualTo("image/webp");
        assertThat(storedWebp.cacheControl()).isEqualTo("public, max-age=31536000, immutable");
        assertThat(storedWebp.contentLength()).isEqualTo(webp.get("size").asLong());
        var decodedWebp = Images.read(client.getObjectAsBytes(g -> g.bucket(LocalS3.BUCKET).key(VARIANTS + webpName)).asByteArray());
        assertThat(decodedWebp.getWidth()).isEqualTo(width);
        assertThat(decodedWebp.getHeight()).isEqualTo(height);
    }

    private void putOriginal(byte[] bytes, String contentType) {
        client.putObject(p -> p.bucket(LocalS3.BUCKET).key(ORIGINAL).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    private HeadObjectResponse head(String key) {
        return client.headObject(h -> h.bucket(LocalS3.BUCKET).key(key));
    }

    private List<String> keys() {
        return client.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents().stream().map(S3Object::key).toList();
    }

    /** What the function's environment holds in Lambda: here the system properties LocalS3 and SharpLibvips set. */
    private static Settings testSettings() {
        return new Settings(System::getProperty);
    }

    private static ImageResizerHandler handlerWith(S3Client s3) {
        return handlerWith(s3, ImageResizerHandler.DEFAULT_MAX_IMAGE_BYTES);
    }

    private static ImageResizerHandler handlerWith(S3Client s3, long maxImageBytes) {
        Settings settings = testSettings();
        return new ImageResizerHandler(new MediaProcessor(s3, LocalS3.BUCKET, maxImageBytes,
                new ImagePipeline(ResizeConfig.from(settings), Libvips.load(SharpLibvips.library(), 1)), Clock.systemUTC(), dev.mediagate.core.metrics.Metrics.toStandardOutput("image-resizer"),
                dev.mediagate.events.EventBus.from(settings)));
    }

    /**
     * The real client, except that the object tagging calls (which S3Proxy does not implement) are answered as S3 would:
     * putObjectTagging is recorded, getObjectTagging finds the untagged object every upload starts as.
     */
    static S3Client recordingTagging(S3Client real, List<PutObjectTaggingRequest> requests) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("putObjectTagging") && args[0] instanceof PutObjectTaggingRequest request) {
                        requests.add(request);
                        return software.amazon.awssdk.services.s3.model.PutObjectTaggingResponse.builder().build();
                    }
                    if (method.getName().equals("getObjectTagging")) {
                        return software.amazon.awssdk.services.s3.model.GetObjectTaggingResponse.builder().tagSet(List.of()).build();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The real client, except that its {@code n}-th putObject fails as a dropped connection would. */
    static S3Client failingOnPut(S3Client real, int n) {
        return failingOnPut(real, n, () -> SdkClientException.create("injected: connection reset while writing"));
    }

    /** The real client, except that its {@code n}-th putObject throws what {@code fault} makes. */
    static S3Client failingOnPut(S3Client real, int n, java.util.function.Supplier<Throwable> fault) {
        AtomicInteger puts = new AtomicInteger();
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("putObject") && puts.incrementAndGet() == n) {
                        throw fault.get();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
