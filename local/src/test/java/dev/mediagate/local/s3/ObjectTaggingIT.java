package dev.mediagate.local.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediagate.local.sam.SamTemplate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * Object tags through the local S3's HTTP API, as the AWS SDK sends them (the resizer's calls among them): PutObject's
 * and CopyObject's tag sets, Get/Put/DeleteObjectTagging, a delete taking the tags with it, Signature Version 4 checked
 * on each, and S3's errors for what S3 refuses.
 */
class ObjectTaggingIT {

    private static final String BUCKET = "media";

    @TempDir
    static Path data;

    private static LocalS3Server s3;
    private static S3Client client;

    @BeforeAll
    static void start() throws Exception {
        s3 = new LocalS3Server(data.resolve("s3"), 0, List.of(), store -> store);
        s3.ensureBucket(BUCKET);
        client = s3.client();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    private static Map<String, String> tags(String key) {
        return client.getObjectTagging(g -> g.bucket(BUCKET).key(key)).tagSet().stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }

    @Test
    void putObjectWithTagsThenGetPutAndDeleteTheTagSet() {
        client.putObject(p -> p.bucket(BUCKET).key("variants/o/f/thumb.webp").tagging("mediagate-status=superseded&team=a%20b"),
                RequestBody.fromString("bytes"));
        assertThat(tags("variants/o/f/thumb.webp")).containsExactlyInAnyOrderEntriesOf(Map.of("mediagate-status", "superseded", "team", "a b"));
        assertThat(s3.objectTags().of(BUCKET, "variants/o/f/thumb.webp")).containsEntry("mediagate-status", "superseded");

        client.putObjectTagging(p -> p.bucket(BUCKET).key("variants/o/f/thumb.webp")
                .tagging(t -> t.tagSet(Tag.builder().key("GuardDutyMalwareScanStatus").value("NO_THREATS_FOUND").build())));
        assertThat(tags("variants/o/f/thumb.webp")).containsExactlyEntriesOf(Map.of("GuardDutyMalwareScanStatus", "NO_THREATS_FOUND"));

        client.deleteObjectTagging(d -> d.bucket(BUCKET).key("variants/o/f/thumb.webp"));
        assertThat(tags("variants/o/f/thumb.webp")).isEmpty();
    }

    @Test
    void aCopyKeepsTheSourcesTagsByDefaultAndReplacesThemWhenAskedAsTheResizerSupersedesAVariant() {
        client.putObject(p -> p.bucket(BUCKET).key("originals/o/copy-source").tagging("a=1"), RequestBody.fromString("bytes"));

        client.copyObject(c -> c.sourceBucket(BUCKET).sourceKey("originals/o/copy-source").destinationBucket(BUCKET).destinationKey("originals/o/copied"));
        assertThat(tags("originals/o/copied")).containsExactlyEntriesOf(Map.of("a", "1"));

        // S3MediaBucket.markSuperseded: the object onto itself, metadata and tags replaced.
        client.copyObject(c -> c.sourceBucket(BUCKET).sourceKey("originals/o/copied").destinationBucket(BUCKET).destinationKey("originals/o/copied")
                .metadataDirective(MetadataDirective.REPLACE).contentType("image/webp").metadata(Map.of("superseded-at", "2026-12-02T14:25:01Z"))
                .taggingDirective(TaggingDirective.REPLACE).tagging("mediagate-status=superseded"));
        assertThat(tags("originals/o/copied")).containsExactlyEntriesOf(Map.of("mediagate-status", "superseded"));
        assertThat(client.headObject(h -> h.bucket(BUCKET).key("originals/o/copied")).metadata()).containsEntry("superseded-at", "2026-12-02T14:25:01Z");
    }

    @Test
    void aDeletedObjectLosesItsTagsAndANewOneUnderTheSameKeyStartsWithOnlyItsOwn() {
        client.putObject(p -> p.bucket(BUCKET).key("originals/o/again").tagging("GuardDutyMalwareScanStatus=NO_THREATS_FOUND"),
                RequestBody.fromString("old"));
        client.deleteObject(d -> d.bucket(BUCKET).key("originals/o/again"));
        assertThat(s3.objectTags().of(BUCKET, "originals/o/again")).isEmpty();

        client.putObject(p -> p.bucket(BUCKET).key("originals/o/again"), RequestBody.fromString("new"));
        assertThat(tags("originals/o/again")).isEmpty();
        client.putObject(p -> p.bucket(BUCKET).key("originals/o/again").tagging("x=1"), RequestBody.fromString("newer"));
        client.putObject(p -> p.bucket(BUCKET).key("originals/o/again"), RequestBody.fromString("newest"));
        assertThat(tags("originals/o/again")).isEmpty();
    }

    @Test
    void whatS3RefusesIsRefusedWithS3sErrors() {
        assertThat(code(() -> client.getObjectTagging(g -> g.bucket(BUCKET).key("no/such/key")))).isEqualTo("404 NoSuchKey");
        assertThat(code(() -> client.putObject(p -> p.bucket(BUCKET).key("originals/o/bad").tagging("aws:reserved=1"),
                RequestBody.fromString("x")))).isEqualTo("400 InvalidTag");
        assertThat(client.listObjectsV2(l -> l.bucket(BUCKET).prefix("originals/o/bad")).keyCount()).as("nothing stored").isZero();
        assertThat(code(() -> client.putObject(p -> p.bucket(BUCKET).key("originals/o/bad").tagging("k=1&k=2"),
                RequestBody.fromString("x")))).isEqualTo("400 InvalidTag");
        String eleven = java.util.stream.IntStream.range(0, 11).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining("&"));
        assertThat(code(() -> client.putObject(p -> p.bucket(BUCKET).key("originals/o/bad").tagging(eleven),
                RequestBody.fromString("x")))).isEqualTo("400 BadRequest");
        // A multipart upload's tags are not modelled: refused as S3Proxy refuses them, not dropped.
        assertThat(code(() -> client.createMultipartUpload(c -> c.bucket(BUCKET).key("originals/o/multi").tagging("a=1")))).startsWith("501");
    }

    @Test
    void aWrongSecretIsRefusedForTagsAsForBytes() {
        client.putObject(p -> p.bucket(BUCKET).key("originals/o/signed"), RequestBody.fromString("x"));
        try (S3Client stranger = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(SamTemplate.LOCAL_REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalS3Server.ACCESS_KEY, "not-the-secret")))
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThat(code(() -> stranger.getObjectTagging(g -> g.bucket(BUCKET).key("originals/o/signed")))).isEqualTo("403 SignatureDoesNotMatch");
            assertThat(code(() -> stranger.putObjectTagging(p -> p.bucket(BUCKET).key("originals/o/signed")
                    .tagging(t -> t.tagSet(Tag.builder().key("GuardDutyMalwareScanStatus").value("NO_THREATS_FOUND").build())))))
                    .isEqualTo("403 SignatureDoesNotMatch");
            assertThat(code(() -> stranger.putObject(p -> p.bucket(BUCKET).key("originals/o/signed").tagging("a=1"),
                    RequestBody.fromString("y")))).isEqualTo("403 SignatureDoesNotMatch");
        }
        assertThat(tags("originals/o/signed")).isEmpty();
        assertThat(client.getObjectAsBytes(g -> g.bucket(BUCKET).key("originals/o/signed")).asUtf8String()).isEqualTo("x");
    }

    private static String code(Runnable request) {
        try {
            request.run();
        } catch (S3Exception e) {
            return e.statusCode() + " " + e.awsErrorDetails().errorCode();
        }
        throw new AssertionError("the request succeeded");
    }

    @Test
    void anUnauthenticatedTaggingRequestIsDenied() throws Exception {
        client.putObject(p -> p.bucket(BUCKET).key("originals/o/anonymous").tagging("a=1"), RequestBody.fromString("x"));
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            var response = http.send(java.net.http.HttpRequest.newBuilder(s3.endpoint().resolve("/" + BUCKET + "/originals/o/anonymous?tagging"))
                    .DELETE().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("<Code>AccessDenied</Code>");
        }
        assertThat(tags("originals/o/anonymous")).containsEntry("a", "1");
        assertThatThrownBy(() -> ObjectTagging.queryTags("a=%zz")).isInstanceOf(ObjectTagging.S3Error.class);
    }
}
