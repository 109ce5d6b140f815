package dev.mediagate.cdn;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.mediagate.core.config.Settings;
import dev.mediagate.local.cdn.CloudFrontInvalidations;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Queued paths through the real handler against the CloudFront stand-in, which can refuse as CloudFront does. */
class CdnInvalidationHandlerTest {

    private static final String THUMB = "/public/ksbadydqkpcosn4zkgtwasmyjuchops2/0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d/thumb.jpg";
    private static final String LARGE = "/public/ksbadydqkpcosn4zkgtwasmyjuchops2/0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d/large.webp";
    private static final String OTHER = "/public/ksbadydqkpcosn4zkgtwasmyjuchops2/1b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d/thumb.jpg";

    private final CloudFrontInvalidations.Server cloudFront = CloudFrontInvalidations.shared();
    private final CdnInvalidationHandler handler = new CdnInvalidationHandler(new Settings(Map.of(
            "CDN_DISTRIBUTION_ID", CloudFrontInvalidations.DISTRIBUTION_ID,
            "AWS_ENDPOINT_URL_CLOUDFRONT", cloudFront.endpoint().toString())::get));

    static {
        // The SDK's default credentials, as a function's role gives them; the stand-in checks no signature.
        System.setProperty("aws.accessKeyId", "AKIAMEDIAGATETEST000");
        System.setProperty("aws.secretAccessKey", "mediagate-test-secret");
    }

    @Test
    void aBatchBecomesOneInvalidationOfItsExactPaths() {
        int before = cloudFront.recorder().requests().size();

        SQSBatchResponse response = handler.handleRequest(batch("{\"paths\":[\"" + THUMB + "\",\"" + LARGE + "\"]}",
                "{\"paths\":[\"" + OTHER + "\",\"" + THUMB + "\"]}"), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        List<CloudFrontInvalidations.Invalidation> made = cloudFront.recorder().requests();
        assertThat(made).hasSize(before + 1);
        assertThat(made.getLast().paths()).containsExactly(THUMB, LARGE, OTHER);
    }

    @Test
    void whenCloudFrontRefusesEveryMessageOfTheBatchComesBackForARetry() {
        cloudFront.recorder().refuseNext(1);

        SQSBatchResponse refused = handler.handleRequest(batch("{\"paths\":[\"" + THUMB + "\"]}", "{\"paths\":[\"" + OTHER + "\"]}"), null);

        assertThat(refused.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-0", "m-1");
        // SQS hands them over again after the visibility timeout; by then CloudFront takes them.
        SQSBatchResponse retried = handler.handleRequest(batch("{\"paths\":[\"" + THUMB + "\"]}", "{\"paths\":[\"" + OTHER + "\"]}"), null);
        assertThat(retried.getBatchItemFailures()).isEmpty();
        assertThat(cloudFront.recorder().requests().getLast().paths()).containsExactly(THUMB, OTHER);
    }

    @Test
    void aMessageThatIsNotAnExactPublicPathIsDroppedNotRetried() {
        int before = cloudFront.recorder().requests().size();

        SQSBatchResponse response = handler.handleRequest(batch("{\"paths\":[\"/public/*\"]}", "not json",
                "{\"paths\":[\"/originals/ksbadydqkpcosn4zkgtwasmyjuchops2/x\"]}"), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(cloudFront.recorder().requests()).hasSize(before);
    }

    private static SQSEvent batch(String... bodies) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new java.util.ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId("m-" + i);
            message.setBody(bodies[i]);
            records.add(message);
        }
        event.setRecords(records);
        return event;
    }
}
