package dev.mediagate.publisher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.core.aws.S3Clients;
import dev.mediagate.core.aws.S3EndpointConfig;
import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.events.FileEvent;
import dev.mediagate.core.upload.UploadConfig;
import dev.mediagate.events.EventBus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * EventPublisherFunction. Two event shapes arrive, so the JSON is read here rather than through one event class: S3
 * notifications (a manifest written under {@code variants/}, an original removed) and, through the stack's bus, Lambda's
 * on-failure record of the resizer. A failure throws: Lambda retries the invocation, and the rebuilt events keep their ids.
 */
public class EventPublisherHandler implements RequestStreamHandler {

    static final String FAILURE_DETAIL_TYPE = "Lambda Function Invocation Result - Failure";
    private static final Logger log = LoggerFactory.getLogger(EventPublisherHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LifecyclePublisher publisher;

    /** Lambda's init: configuration validated, the S3 and EventBridge clients built once. */
    public EventPublisherHandler() {
        this(Settings.fromEnvironment());
    }

    /** The function's environment given explicitly: tests, and the local stack, which cannot set this JVM's environment. */
    EventPublisherHandler(Settings settings) {
        this(new LifecyclePublisher(S3Clients.client(S3EndpointConfig.from(settings)), UploadConfig.bucketName(settings),
                settings.httpUrl("CDN_BASE_URL").orElseThrow(() -> new ConfigurationException("CDN_BASE_URL", "is required but not set"))
                        .toString(), EventBus.from(settings)));
    }

    EventPublisherHandler(LifecyclePublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        if (context != null) {
            MDC.put("lambdaRequestId", context.getAwsRequestId());
        }
        try {
            JsonNode event = JSON.readTree(input);
            List<FileEvent> published = new ArrayList<>();
            if (event.has("Records")) {
                for (JsonNode record : event.get("Records")) {
                    s3Record(record).ifPresent(published::add);
                }
            } else if (FAILURE_DETAIL_TYPE.equals(event.path("detail-type").asText())) {
                published.addAll(resizerFailure(event.get("detail"), event.path("time").asText()));
            } else {
                log.atWarn().log("ignored an event that is neither an S3 notification nor a resizer failure");
            }
            output.write(JSON.writeValueAsBytes(published.stream().map(FileEvent::id).toList()));
        } finally {
            MDC.clear();
        }
    }

    private Optional<FileEvent> s3Record(JsonNode record) {
        String eventName = record.path("eventName").asText();
        JsonNode object = record.at("/s3/object");
        // S3 form-encodes keys in notifications ("+" for a space).
        String key = URLDecoder.decode(object.path("key").asText(), StandardCharsets.UTF_8);
        if (eventName.startsWith("ObjectCreated:")) {
            return publisher.manifestWritten(key);
        }
        if (eventName.startsWith("ObjectRemoved:")) {
            return publisher.originalRemoved(key, object.path("sequencer").asText(), record.path("eventTime").asText());
        }
        return Optional.empty();
    }

    /** Lambda's destination record: the resizer's S3 event as {@code requestPayload}, its last error as {@code responsePayload}. */
    private List<FileEvent> resizerFailure(JsonNode record, String failedAt) {
        String reason = FailureReasons.of(record.path("requestContext").path("condition").asText(),
                record.path("responsePayload").path("errorType").asText(), record.path("responsePayload").path("errorMessage").asText());
        List<FileEvent> published = new ArrayList<>();
        for (JsonNode s3Record : record.at("/requestPayload/Records")) {
            JsonNode object = s3Record.at("/s3/object");
            String key = URLDecoder.decode(object.path("key").asText(), StandardCharsets.UTF_8);
            publisher.processingFailed(key, object.path("eTag").asText(), failedAt.isEmpty() ? record.path("timestamp").asText() : failedAt,
                    reason).ifPresent(published::add);
        }
        return published;
    }
}
