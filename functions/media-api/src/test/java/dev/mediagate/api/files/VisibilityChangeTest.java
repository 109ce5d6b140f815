package dev.mediagate.api.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediagate.api.cdn.CdnInvalidator;
import dev.mediagate.api.web.NotFoundException;
import dev.mediagate.api.web.TooManyChangesException;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.events.FileEvent;
import dev.mediagate.core.events.FileEvents;
import dev.mediagate.core.files.FileId;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.files.Visibility;
import dev.mediagate.core.upload.UploadConfig;
import dev.mediagate.local.sqs.SqsSendMessage;
import dev.mediagate.testing.LocalS3;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link Publication} against S3Proxy with a clock that stands still: what each change leaves and announces. */
class VisibilityChangeTest {

    static final Owner OWNER = new Owner("ksbadydqkpcosn4zkgtwasmyjuchops2");
    static final FileId FILE_ID = FileId.parse("0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d").orElseThrow();
    static final String VARIANTS = "variants/" + OWNER.value() + "/" + FILE_ID.value() + "/";
    static final String ORIGINAL = "originals/" + OWNER.value() + "/" + FILE_ID.value();

    private final S3Client s3 = LocalS3.shared().client();
    private final Clock frozen = Clock.fixed(Instant.parse("2026-11-27T10:00:00.250Z"), ZoneOffset.UTC);
    private final FileCatalog catalog = new FileCatalog(s3, UploadConfig.from(new Settings(System::getProperty)));
    private final Publication publication = new Publication(catalog, invalidator(), frozen);

    @BeforeEach
    void readyPrivateFile() {
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents()) {
            s3.deleteObject(d -> d.bucket(LocalS3.BUCKET).key(object.key()));
        }
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(ORIGINAL).contentType("image/jpeg"), RequestBody.fromBytes(new byte[100]));
        Map<String, Manifest.VariantEntry> variants = new LinkedHashMap<>();
        variants.put("thumb", new Manifest.VariantEntry(VARIANTS + "thumb.jpg", 240, 320, "image/jpeg", 10));
        for (Manifest.VariantEntry variant : variants.values()) {
            s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(variant.key()).contentType("image/jpeg"),
                    RequestBody.fromBytes(new byte[(int) variant.size()]));
        }
        Manifest manifest = new Manifest(1, FILE_ID.value(), Manifest.READY, null, "private",
                new Manifest.Source(ORIGINAL, "etag", "a.jpg", "image/jpeg", 100, 3000, 4000, null, null),
                variants, "data:image/jpeg;base64,AAAA", "2026-11-27T09:59:00Z", null, null);
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json"), RequestBody.fromBytes(manifest.toJson()));
    }

    @Test
    void publicPrivatePublicWithinOneSecondAreThreeEventsWithThreeIds() {
        List<FileEvent> announced = new ArrayList<>();
        for (Visibility target : List.of(Visibility.PUBLIC, Visibility.PRIVATE, Visibility.PUBLIC)) {
            publication.change(OWNER, FILE_ID, target);
            announced.add(FileEvents.fromManifest(OWNER, FILE_ID, manifest(), "https://cdn.example"));
        }

        assertThat(announced).extracting(FileEvent::type).containsOnly(FileEvent.VISIBILITY_CHANGED);
        assertThat(announced).extracting(FileEvent::timestamp).containsOnly("2026-11-27T10:00:00Z");
        assertThat(announced).extracting(FileEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void anUnpublishFinishedByARetryKeepsItsChangesId() {
        publication.change(OWNER, FILE_ID, Visibility.PUBLIC);
        Manifest published = manifest();
        // The process died after writing the pending manifest; the retry finishes the same change.
        Manifest pending = published.withVisibility(Visibility.PRIVATE, true, "2026-11-27T10:00:00Z", "change-1");
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key(VARIANTS + "manifest.json"), RequestBody.fromBytes(pending.toJson()));
        String pendingEventId = FileEvents.fromManifest(OWNER, FILE_ID, pending, "https://cdn.example").id();

        publication.change(OWNER, FILE_ID, Visibility.PRIVATE);

        assertThat(manifest().isUnpublishPending()).isFalse();
        assertThat(FileEvents.fromManifest(OWNER, FILE_ID, manifest(), "https://cdn.example").id()).isEqualTo(pendingEventId);
    }

    @Test
    void aChangeThatFindsTheFileBeingDeletedLeavesNoPublicCopyAndIsNotFound() {
        catalog.markDeleted(OWNER, FILE_ID);

        assertThatThrownBy(() -> publication.change(OWNER, FILE_ID, Visibility.PUBLIC)).isInstanceOf(NotFoundException.class);
        assertThat(keys()).noneMatch(key -> key.startsWith("public/"));
    }

    /** A DELETE runs between this change's read of the manifest and its write: the change writes nothing back. */
    @Test
    void aChangeNeverWritesOverAManifestItDidNotRead() {
        List<String> interleaved = new ArrayList<>();
        FileCatalog racing = new FileCatalog(s3, UploadConfig.from(new Settings(System::getProperty))) {
            @Override
            Optional<Manifest.Stored> replaceManifest(Owner owner, FileId fileId, Manifest.Stored read, Manifest manifest,
                    Map<String, String> metadata) {
                if (interleaved.isEmpty()) {
                    // FileRemoval's S3 effects: the marker first, then every key of the file.
                    markDeleted(owner, fileId);
                    deleteAll(keysUnder("public/"));
                    deleteAll(keysUnder("variants/"));
                    deleteAll(keysUnder("originals/"));
                    interleaved.add("deleted");
                }
                return super.replaceManifest(owner, fileId, read, manifest, metadata);
            }
        };
        Publication publishing = new Publication(racing, invalidator(), frozen);

        assertThatThrownBy(() -> publishing.change(OWNER, FILE_ID, Visibility.PUBLIC)).isInstanceOf(NotFoundException.class);

        assertThat(interleaved).hasSize(1);
        // Written without its condition, the manifest of a deleted file would be back, for good.
        assertThat(keys()).containsExactly("deletions/" + OWNER.value() + "/" + FILE_ID.value());
    }

    @Test
    void pastTenChangesWithinAMinuteTheFileAnswers429UntilTheOldestLeavesTheMinute() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
        Publication limited = new Publication(catalog, invalidator(), clock);
        for (int change = 0; change < Publication.CHANGES_PER_WINDOW; change++) {
            limited.change(OWNER, FILE_ID, change % 2 == 0 ? Visibility.PUBLIC : Visibility.PRIVATE);
            // Asking for what the file already is changes nothing, and is not counted.
            limited.change(OWNER, FILE_ID, change % 2 == 0 ? Visibility.PUBLIC : Visibility.PRIVATE);
            clock.advance(Duration.ofSeconds(5));
        }
        // 10:00:50: ten changes since 10:00:00.
        assertThatThrownBy(() -> limited.change(OWNER, FILE_ID, Visibility.PUBLIC))
                .isInstanceOfSatisfying(TooManyChangesException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(10));
        assertThat(manifest().visibility()).isEqualTo("private");

        clock.advance(Duration.ofSeconds(10));
        assertThat(limited.change(OWNER, FILE_ID, Visibility.PUBLIC).visibility()).isEqualTo("public");
    }

    /** A clock a test moves on. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private List<String> keys() {
        return s3.listObjectsV2Paginator(l -> l.bucket(LocalS3.BUCKET)).contents().stream().map(S3Object::key).toList();
    }

    private Manifest manifest() {
        return catalog.manifest(OWNER, FILE_ID).orElseThrow();
    }

    private static CdnInvalidator invalidator() {
        SqsSendMessage queue = SqsSendMessage.shared();
        return new CdnInvalidator(SqsClient.builder().endpointOverride(queue.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build(),
                SqsSendMessage.CDN_INVALIDATION_QUEUE_URL);
    }
}
