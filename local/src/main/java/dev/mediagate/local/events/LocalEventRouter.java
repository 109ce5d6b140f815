package dev.mediagate.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.local.LocalLog;
import dev.mediagate.local.lambda.AsyncInvoker;
import dev.mediagate.local.lambda.OnFailureRecords;
import dev.mediagate.local.sam.SamTemplate;
import dev.mediagate.local.sqs.LocalWebhookQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stack's bus and its rules, locally: mediagate's own events go to the event feed ({@code /_local/events}) and,
 * with {@code --webhook-url}, to the webhook queue (the rule's {@code InputPath: $.detail}); the resizer's on-failure
 * records go to the publisher, as the {@code ResizerFailed} rule sends them.
 */
public final class LocalEventRouter {

    static final int FEED_SIZE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Deque<JsonNode> feed = new ArrayDeque<>();
    private final Optional<LocalWebhookQueue> webhooks;
    private final AsyncInvoker invoker;
    private final String failurePublisher;

    public LocalEventRouter(Optional<LocalWebhookQueue> webhooks, AsyncInvoker invoker, String failurePublisher) {
        this.webhooks = webhooks;
        this.invoker = invoker;
        this.failurePublisher = failurePublisher;
    }

    public void route(LocalEventBus.Entry entry) {
        if ("mediagate".equals(entry.source())) {
            try {
                JsonNode event = JSON.readTree(entry.detail());
                synchronized (feed) {
                    feed.addLast(event);
                    while (feed.size() > FEED_SIZE) {
                        feed.removeFirst();
                    }
                }
                LocalLog.line("events", event.path("type").asText() + " " + event.path("id").asText()
                        + " file " + event.at("/data/fileId").asText());
            } catch (java.io.IOException e) {
                LocalLog.line("events", "dropped an entry whose detail is not JSON");
                return;
            }
            webhooks.ifPresent(queue -> queue.send(entry.detail()));
        } else if ("lambda".equals(entry.source()) && failurePublisher != null) {
            invoker.submit(failurePublisher, envelope(entry).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The function a rule sends the resizer's failure records to (an EventBridgeRule source matching Lambda's failures). */
    public static String failurePublisher(SamTemplate template) {
        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            for (Object value : SamTemplate.map(template.properties(function).get("Events")).values()) {
                Map<String, Object> event = SamTemplate.map(value);
                if ("EventBridgeRule".equals(event.get("Type"))
                        && String.valueOf(SamTemplate.map(event.get("Properties")).get("Pattern")).contains(OnFailureRecords.DETAIL_TYPE)) {
                    return function;
                }
            }
        }
        return null;
    }

    /** The last events published, oldest first. */
    public List<JsonNode> recent() {
        synchronized (feed) {
            return new ArrayList<>(feed);
        }
    }

    /** An EventBridge event as a rule's Lambda target receives it. */
    private static String envelope(LocalEventBus.Entry entry) {
        try {
            var event = JSON.createObjectNode();
            event.put("version", "0");
            event.put("id", java.util.UUID.randomUUID().toString());
            event.put("detail-type", entry.detailType());
            event.put("source", entry.source());
            event.put("account", SamTemplate.LOCAL_ACCOUNT_ID);
            event.put("time", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            event.put("region", SamTemplate.LOCAL_REGION);
            event.putArray("resources");
            event.set("detail", JSON.readTree(entry.detail()));
            return JSON.writeValueAsString(event);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
