package dev.mediagate.resizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectTaggingRequest;
import software.amazon.awssdk.services.s3.model.GetObjectTaggingResponse;
import software.amazon.awssdk.services.s3.model.PutObjectTaggingRequest;
import software.amazon.awssdk.services.s3.model.PutObjectTaggingResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The rejected mark joins an original's tags instead of replacing them (PutObjectTagging replaces the whole set):
 * GuardDuty's verdict stays; removing the mark keeps the others; a store without tags (501) is tolerated.
 */
class S3MediaBucketTaggingTest {

    private static final String KEY = "originals/ksbadydqkpcosn4zkgtwasmyjuchops2/0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";

    /** One object's tag set, as S3 keeps it; {@code status} non-zero: every tagging call answers that status. */
    private static final class TaggingS3 implements S3Client {
        final Map<String, String> tags = new LinkedHashMap<>();
        int puts;
        int status;

        @Override
        public GetObjectTaggingResponse getObjectTagging(GetObjectTaggingRequest request) {
            fail();
            return GetObjectTaggingResponse.builder().tagSet(tags.entrySet().stream()
                    .map(tag -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build()).toList()).build();
        }

        @Override
        public PutObjectTaggingResponse putObjectTagging(PutObjectTaggingRequest request) {
            fail();
            puts++;
            tags.clear();
            request.tagging().tagSet().forEach(tag -> tags.put(tag.key(), tag.value()));
            return PutObjectTaggingResponse.builder().build();
        }

        private void fail() {
            if (status != 0) {
                throw (S3Exception) S3Exception.builder().statusCode(status).message("status " + status).build();
            }
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }

    private final TaggingS3 s3 = new TaggingS3();
    private final S3MediaBucket bucket = new S3MediaBucket(s3, "media");

    @Test
    void rejectingKeepsGuardDutysVerdictAndReadyAgainRemovesOnlyTheMark() {
        s3.tags.put("GuardDutyMalwareScanStatus", "THREATS_FOUND");

        bucket.tagRejected(KEY);

        assertThat(s3.tags).containsExactlyInAnyOrderEntriesOf(Map.of("GuardDutyMalwareScanStatus", "THREATS_FOUND",
                S3MediaBucket.STATUS_TAG, "rejected"));
        bucket.tagRejected(KEY);
        assertThat(s3.puts).as("already marked: nothing written").isEqualTo(1);

        bucket.clearRejected(KEY);

        assertThat(s3.tags).containsExactlyEntriesOf(Map.of("GuardDutyMalwareScanStatus", "THREATS_FOUND"));
        bucket.clearRejected(KEY);
        assertThat(s3.puts).as("not marked: nothing written").isEqualTo(2);
    }

    @Test
    void guardDutysVerdictIsReadFromItsTagAmongTheOthers() {
        s3.tags.put(S3MediaBucket.STATUS_TAG, "rejected");
        assertThat(bucket.malwareScanStatus(KEY)).as("not scanned yet").isEmpty();

        s3.tags.put("GuardDutyMalwareScanStatus", "NO_THREATS_FOUND");

        assertThat(bucket.malwareScanStatus(KEY)).contains("NO_THREATS_FOUND");
        s3.status = 404;
        assertThat(bucket.malwareScanStatus(KEY)).as("the original deleted meanwhile").isEmpty();
        s3.status = 403;
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> bucket.malwareScanStatus(KEY))).isInstanceOf(S3Exception.class);
    }

    @Test
    void aStoreWithoutTagsOrAnOriginalGoneIsFine() {
        for (int status : new int[] {501, 404}) {
            s3.status = status;
            bucket.tagRejected(KEY);
            bucket.clearRejected(KEY);
        }
        s3.status = 403;
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> bucket.tagRejected(KEY))).isInstanceOf(S3Exception.class);
    }
}
