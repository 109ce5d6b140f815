package dev.mediagate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A backend's webhook endpoint for the tests: records every request as it arrived (headers, body bytes, time) and
 * answers 204, or what a test scripted for a file: statuses to answer in turn, or never answering at all.
 */
public final class WebhookReceiver {

    static final int NEVER_ANSWER = -1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();

    record Delivery(Map<String, List<String>> headers, byte[] body, Instant receivedAt, int answered) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }

        JsonNode event() throws IOException {
            return JSON.readTree(body);
        }
    }

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "webhook-receiver");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/mediagate");
    }

    /** The answers for deliveries of one type of this file's events, in turn; 204 once they are used up. */
    void script(String fileId, String type, Integer... statuses) {
        scripts.put(fileId + " " + type, new ArrayDeque<>(List.of(statuses)));
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The deliveries of one file's events, in the order they arrived. */
    List<Delivery> deliveriesFor(String fileId) {
        return deliveries.stream().filter(delivery -> {
            try {
                return fileId.equals(delivery.event().at("/data/fileId").asText());
            } catch (IOException e) {
                return false;
            }
        }).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String scriptKey = "";
        try {
            JsonNode event = JSON.readTree(body);
            scriptKey = event.at("/data/fileId").asText() + " " + event.path("type").asText();
        } catch (IOException e) {
            // not JSON: answered 204 like anything unscripted
        }
        Deque<Integer> script = scripts.get(scriptKey);
        Integer scripted = script == null ? null : script.pollFirst();
        int status = scripted == null ? 204 : scripted;
        deliveries.add(new Delivery(Map.copyOf(exchange.getRequestHeaders()), body, Instant.now(), status));
        if (status == NEVER_ANSWER) {
            // Holds the connection open without a word; the exchange is never closed.
            return;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }
}
