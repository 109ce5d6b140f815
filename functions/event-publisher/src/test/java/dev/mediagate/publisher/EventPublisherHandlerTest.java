package dev.mediagate.publisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Visibility;
import dev.mediagate.testing.CdnKeys;
import dev.mediagate.local.events.LocalEventBus;
import dev.mediagate.testing.LocalS3;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code events/s3-manifest-created.json}, {@code s3-original-removed.json} and {@code eventbridge-resizer-failure.json} through the real handler. */
@Tag("events")
class EventPublisherHandlerTest {

    static final String OWNER = "ksbadydqkpcosn4zkgtwasmyjuchops2";
    static final String FILE_ID = "0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";
    static final String ORIGINAL = "originals/" + OWNER + "/" + FILE_ID;
    static final String VARIANTS = "variants/" + OWNER + "/" + FILE_ID + "/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EventPublisherHandler handler;

    private final S3Client s3 = LocalS3.shared().client();
    private final LocalEventBus bus = LocalEventBus.shared();

    @BeforeAll
    static void init() {
        LocalS3.shared();
        CdnKeys.configure();
        handler = new EventPublisherHandler(new Settings(System::getProperty));
    }

    @BeforeEach
    void emptyBucket() {
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents()) {
            s3.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key()));
        }
    }

    @AfterEach
    void acceptEvents() {
        bus.refuse(false);
    }

    @Test
    void aManifestWrittenByTheResizerIsAnnouncedReadyAndARedeliveryCarriesTheSameId() throws IOException {
        putManifest(manifest(null, null));
        int before = bus.entries().size();

        List<String> first = invoke("s3-manifest-created.json");
        List<String> again = invoke("s3-manifest-created.json");

        assertThat(first).hasSize(1).isEqualTo(again);
        List<LocalEventBus.Entry> published = bus.entries().subList(before, bus.entries().size());
        assertThat(published).hasSize(2).allSatisfy(entry -> {
            assertThat(entry.source()).isEqualTo("mediagate");
            assertThat(entry.detailType()).isEqualTo("file.ready");
            assertThat(entry.busName()).isEqualTo(LocalEventBus.BUS_NAME);
        });
        JsonNode event = JSON.readTree(published.get(0).detail());
        assertThat(event.get("id").asText()).isEqualTo(first.get(0)).matches("evt_[0-9a-f]{32}");
        assertThat(event.get("timestamp").asText()).isEqualTo("2026-11-21T10:00:04Z");
        assertThat(event.at("/data/owner").asText()).isEqualTo(OWNER);
        assertThat(event.at("/data/width").asInt()).isEqualTo(3000);
        assertThat(event.at("/data").has("reason")).as("null fields are sent as null").isTrue();
        assertThat(event.at("/data/variants/thumb").has("url")).isFalse();
        assertThat(event.at("/data/thumbhash").asText()).isEqualTo("1QcSHQRYZ4ZoeIeIBwiXh3CHeHj3Z3cA");
        assertThat(event.at("/data/dominantColor").asText()).isEqualTo("#3a5f8c");
        assertThat(event.at("/data/animated").isBoolean()).isTrue();
        assertThat(event.at("/data/animated").asBoolean()).isFalse();
        assertThat(published.get(0).detail()).isEqualTo(published.get(1).detail());
    }

    @Test
    void aManifestWrittenByAVisibilityChangeIsAnnouncedAsSuchWithThePublicUrls() throws IOException {
        putManifest(manifest(null, null).withVisibility(Visibility.PUBLIC, false, "2026-11-21T10:05:00Z"));
        int before = bus.entries().size();

        invoke("s3-manifest-created.json");

        JsonNode event = JSON.readTree(bus.entries().get(before).detail());
        assertThat(event.get("type").asText()).isEqualTo("file.visibility-changed");
        assertThat(event.get("timestamp").asText()).isEqualTo("2026-11-21T10:05:00Z");
        assertThat(event.at("/data/visibility").asText()).isEqualTo("public");
        assertThat(event.at("/data/variants/thumb/url").asText()).isEqualTo(CdnKeys.CDN_BASE_URL + "/public/" + OWNER + "/" + FILE_ID + "/thumb.jpg");
    }

    @Test
    void aRemovedOriginalIsAnnouncedDeleted() throws IOException {
        int before = bus.entries().size();

        invoke("s3-original-removed.json");

        JsonNode event = JSON.readTree(bus.entries().get(before).detail());
        assertThat(event.get("type").asText()).isEqualTo("file.deleted");
        assertThat(event.at("/data/status").asText()).isEqualTo("deleted");
        assertThat(event.get("timestamp").asText()).isEqualTo("2026-11-21T11:30:00.204Z");
    }

    @Test
    void theResizersFailureIsAnnouncedFailedWithAReasonButNotWhenAManifestExistsAfterAll() throws IOException {
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(ORIGINAL).contentType("image/jpeg").metadata(Map.of("filename", "IMG.jpg")),
                RequestBody.fromBytes(new byte[48]));
        int before = bus.entries().size();

        assertThat(invoke("eventbridge-resizer-failure.json")).hasSize(1);
        JsonNode event = JSON.readTree(bus.entries().get(before).detail());
        putManifest(manifest(null, null));

        assertThat(event.get("type").asText()).isEqualTo("file.failed");
        assertThat(event.at("/data/reason").asText()).isEqualTo("storage-unavailable");
        assertThat(event.at("/data/filename").asText()).isEqualTo("IMG.jpg");
        assertThat(event.toString()).doesNotContain("Service Unavailable");
        assertThat(invoke("eventbridge-resizer-failure.json")).as("a verdict was written after all").isEmpty();
    }

    /** A processing run that wrote its manifest after a DELETE began removes it again; it is never announced. */
    @Test
    void aManifestOfAFileWhoseDeleteBeganIsNotAnnounced() throws IOException {
        putManifest(manifest(null, null));
        dev.mediagate.core.files.Deletions.mark(s3, LocalS3.BUCKET, new dev.mediagate.core.files.Owner(OWNER),
                dev.mediagate.core.files.FileId.parse(FILE_ID).orElseThrow());
        int before = bus.entries().size();

        assertThat(invoke("s3-manifest-created.json")).isEmpty();
        assertThat(invoke("eventbridge-resizer-failure.json")).isEmpty();
        assertThat(bus.entries().subList(before, bus.entries().size())).isEmpty();
    }

    @Test
    void anEventTheBusRefusesFailsTheInvocationSoLambdaRetriesIt() {
        putManifest(manifest(null, null));
        bus.refuse(true);

        assertThatThrownBy(() -> invoke("s3-manifest-created.json")).hasMessageContaining("refused");
    }

    private List<String> invoke(String fixture) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Files.readAllBytes(events().resolve(fixture))), out, null);
        return JSON.readerForListOf(String.class).readValue(out.toByteArray());
    }

    private static Path events() {
        return Path.of(System.getProperty("mediagate.events.dir", "../../events"));
    }

    private static Manifest manifest(String reason, String changedAt) {
        return new Manifest(1, FILE_ID, Manifest.READY, reason, "private",
                new Manifest.Source(ORIGINAL, "8b1a9953c4611296a827abf8c47804d7", "IMG_0001.jpg", "image/jpeg", 48213, 3000, 4000, null, null),
                Map.of("thumb", new Manifest.VariantEntry(VARIANTS + "thumb.jpg", 240, 320, "image/jpeg", 12345)),
                "data:image/jpeg;base64,AA", "2026-11-21T10:00:04Z", null, changedAt)
                .withSummaries(false, "1QcSHQRYZ4ZoeIeIBwiXh3CHeHj3Z3cA", "#3a5f8c");
    }

    private void putManifest(Manifest manifest) {
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json").contentType("application/json"),
                RequestBody.fromBytes(manifest.toJson()));
    }
}
