package dev.mediagate.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * EventBridge's {@code PutEvents} as the SDK calls it (AWS JSON 1.1, {@code X-Amz-Target: AWSEvents.PutEvents}),
 * answered as EventBridge does and handed to a listener: the tests record the entries, the local stack routes them to
 * its event feed and webhook deliveries as the stack's rule would.
 */
public final class LocalEventBus {

    public static final String BUS_NAME = "mediagate-dev";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalEventBus shared;

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final Consumer<Entry> listener;
    private volatile boolean refusing;
    private final java.util.concurrent.atomic.AtomicInteger refusalsLeft = new java.util.concurrent.atomic.AtomicInteger();
    private volatile String refusalCode = "InternalFailure";
    private URI endpoint;

    public LocalEventBus(Consumer<Entry> listener) {
        this.listener = listener;
    }

    /** One entry put on a bus: its bus, source, detail type and detail (the event's JSON, byte for byte). */
    public record Entry(String busName, String source, String detailType, String detail) {
    }

    /** The JVM-wide stand-in on its own loopback port; points {@code EVENT_BUS_NAME} and the SDK's endpoint at it. */
    public static synchronized LocalEventBus shared() {
        if (shared == null) {
            shared = new LocalEventBus(entry -> { });
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
                server.createContext("/", shared::handle);
                server.start();
                shared.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the EventBridge stand-in", e);
            }
            System.setProperty("EVENT_BUS_NAME", BUS_NAME);
            System.setProperty("AWS_ENDPOINT_URL_EVENTBRIDGE", shared.endpoint.toString());
        }
        return shared;
    }

    public boolean handles(HttpExchange exchange) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        return "POST".equals(exchange.getRequestMethod()) && "AWSEvents.PutEvents".equals(target);
    }

    public void handle(HttpExchange exchange) throws IOException {
        JsonNode request;
        try (InputStream in = exchange.getRequestBody()) {
            request = JSON.readTree(in);
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode results = response.putArray("Entries");
        int failed = 0;
        for (JsonNode entry : request.path("Entries")) {
            if (refusing) {
                failed++;
                results.addObject().put("ErrorCode", "InternalFailure").put("ErrorMessage", "refused by the test");
                continue;
            }
            if (refusalsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                failed++;
                results.addObject().put("ErrorCode", refusalCode).put("ErrorMessage", "refused by the test");
                continue;
            }
            Entry received = new Entry(entry.path("EventBusName").asText(), entry.path("Source").asText(),
                    entry.path("DetailType").asText(), entry.path("Detail").asText());
            entries.add(received);
            listener.accept(received);
            results.addObject().put("EventId", UUID.randomUUID().toString());
        }
        response.put("FailedEntryCount", failed);
        byte[] body = JSON.writeValueAsBytes(response);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Every entry so far, oldest first. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** While set, every entry is refused as EventBridge refuses one it cannot take (FailedEntryCount). */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /**
     * The next {@code count} entries are refused with {@code errorCode} (e.g. {@code ThrottlingException}), each in a
     * {@code 200} answer with {@code FailedEntryCount}, as EventBridge refuses entries; later ones are taken again.
     */
    public void refuseNext(int count, String errorCode) {
        this.refusalCode = errorCode;
        this.refusalsLeft.set(count);
    }

    public URI endpoint() {
        return endpoint;
    }
}
