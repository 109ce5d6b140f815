package dev.mediagate.api.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mediagate.api.upload.MultipartUploads.ClientPart;
import dev.mediagate.api.upload.MultipartUploads.StoredPart;
import dev.mediagate.core.upload.FieldError;
import dev.mediagate.core.upload.InvalidRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.CompletedPart;

class PartCompletionTest {

    private static final long MIB = 1024 * 1024;
    /** 17 MiB + 5 bytes: parts of 8 MiB, 8 MiB and 1 MiB + 5. */
    private static final PartLayout LAYOUT = PartLayout.forSize(17 * MIB + 5);
    private static final List<StoredPart> HELD = List.of(
            new StoredPart(1, 8 * MIB, "\"etag-1\""),
            new StoredPart(2, 8 * MIB, "\"etag-2\""),
            new StoredPart(3, MIB + 5, "\"etag-3\""));

    @Test
    void everyPartListedWithItsEtagCompletesInOrderWithS3sEtags() {
        List<ClientPart> sent = List.of(new ClientPart(3, "etag-3"), new ClientPart(1, "\"etag-1\""), new ClientPart(2, "etag-2"));

        List<CompletedPart> completed = PartCompletion.checked(LAYOUT, sent, HELD);

        assertThat(completed).extracting(CompletedPart::partNumber).containsExactly(1, 2, 3);
        assertThat(completed).extracting(CompletedPart::eTag).containsExactly("\"etag-1\"", "\"etag-2\"", "\"etag-3\"");
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        List<ClientPart> sent = List.of(new ClientPart(1, "etag-1"), new ClientPart(1, "etag-1"), new ClientPart(2, "other"),
                new ClientPart(4, "etag-4"));

        InvalidRequestException refused = catchThrowableOfType(InvalidRequestException.class,
                () -> PartCompletion.checked(LAYOUT, sent, HELD));

        assertThat(refused.errors()).extracting(FieldError::message).containsExactly(
                "part 1 is listed twice",
                "part 4 is beyond this upload's 3 parts",
                "part 2: the ETag does not match the part S3 holds",
                "part 3 is missing from the list");
    }

    @Test
    void aListedPartS3DoesNotHoldIsNotUploaded() {
        List<ClientPart> sent = List.of(new ClientPart(1, "etag-1"), new ClientPart(2, "etag-2"), new ClientPart(3, "etag-3"));

        InvalidRequestException refused = catchThrowableOfType(InvalidRequestException.class,
                () -> PartCompletion.checked(LAYOUT, sent, HELD.subList(0, 2)));

        assertThat(refused.errors()).extracting(FieldError::message).containsExactly("part 3 has not been uploaded");
    }

    @Test
    void partsThatDoNotAddUpToTheDeclaredSizeAreRefused() {
        List<StoredPart> shortLast = List.of(HELD.get(0), HELD.get(1), new StoredPart(3, MIB, "\"etag-3\""));
        List<ClientPart> sent = List.of(new ClientPart(1, "etag-1"), new ClientPart(2, "etag-2"), new ClientPart(3, "etag-3"));

        InvalidRequestException refused = catchThrowableOfType(InvalidRequestException.class,
                () -> PartCompletion.checked(LAYOUT, sent, shortLast));

        assertThat(refused.errors()).extracting(FieldError::message)
                .containsExactly("the parts add up to " + (17 * MIB) + " bytes, not the " + (17 * MIB + 5) + " bytes declared");
    }

    @Test
    void quotesAroundAnEtagDoNotMatter() {
        assertThat(PartCompletion.unquoted("\"abc\"")).isEqualTo("abc");
        assertThat(PartCompletion.unquoted("abc")).isEqualTo("abc");
        assertThat(PartCompletion.unquoted("\"")).isEqualTo("\"");
    }
}
