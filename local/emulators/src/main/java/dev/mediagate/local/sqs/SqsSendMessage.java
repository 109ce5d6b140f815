package dev.mediagate.local.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * SQS's {@code SendMessage} as the SDK calls it (AWS JSON 1.0, {@code X-Amz-Target: AmazonSQS.SendMessage}), answered as
 * SQS does: a message id and the MD5 of the body, which the SDK checks. Each message is handed to a listener (the local
 * stack's queue for that URL) and recorded for tests.
 */
public final class SqsSendMessage {

    /** The queue URL the API is given in tests; any URL the local stack names works the same way. */
    public static final String CDN_INVALIDATION_QUEUE_URL = "http://127.0.0.1/000000000000/mediagate-cdn-invalidations";
    /** The resizer's queue as the API is given it in tests (reprocessing, focus changes). */
    public static final String RESIZER_QUEUE_URL = "http://127.0.0.1/000000000000/mediagate-resizer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SqsSendMessage shared;

    private final List<Message> sent = new CopyOnWriteArrayList<>();
    private final BiConsumer<String, String> listener;
    private URI endpoint;

    public SqsSendMessage(BiConsumer<String, String> listener) {
        this.listener = listener;
    }

    /** One message sent: the queue's URL and the body. */
    public record Message(String queueUrl, String body) {
    }

    /** A recorder on its own loopback port, shared by a test JVM; points the API's queue settings at it. */
    public static synchronized SqsSendMessage shared() {
        if (shared == null) {
            shared = new SqsSendMessage((queue, body) -> { });
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
                server.createContext("/", shared::handle);
                server.start();
                shared.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the SQS stand-in", e);
            }
            System.setProperty("CDN_INVALIDATION_QUEUE_URL", CDN_INVALIDATION_QUEUE_URL);
            System.setProperty("RESIZER_QUEUE_URL", RESIZER_QUEUE_URL);
            System.setProperty("AWS_ENDPOINT_URL_SQS", shared.endpoint.toString());
        }
        return shared;
    }

    public boolean handles(HttpExchange exchange) {
        return "POST".equals(exchange.getRequestMethod())
                && "AmazonSQS.SendMessage".equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
    }

    public void handle(HttpExchange exchange) throws IOException {
        JsonNode request;
        try (InputStream in = exchange.getRequestBody()) {
            request = JSON.readTree(in);
        }
        String queueUrl = request.path("QueueUrl").asText();
        String body = request.path("MessageBody").asText();
        sent.add(new Message(queueUrl, body));
        listener.accept(queueUrl, body);
        byte[] answer = JSON.writeValueAsBytes(JSON.createObjectNode().put("MessageId", UUID.randomUUID().toString())
                .put("MD5OfMessageBody", md5(body)));
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    /** Every message so far, oldest first. */
    public List<Message> sent() {
        return List.copyOf(sent);
    }

    public URI endpoint() {
        return endpoint;
    }

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
