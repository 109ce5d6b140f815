package dev.mediagate.local.events;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mediagate.local.HttpExchanges;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The two AWS APIs the event functions call besides S3, on one loopback port the functions are pointed at:
 * EventBridge's {@code PutEvents} (the stack's bus) and SQS's {@code ChangeMessageVisibility} (the webhook queue's
 * backoff, which the local queue replaces by its own short schedule).
 */
public final class LocalAwsEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final LocalEventBus bus;
    private final dev.mediagate.local.sqs.SqsSendMessage sends;

    public LocalAwsEndpoint(LocalEventBus bus) throws IOException {
        this(bus, new dev.mediagate.local.sqs.SqsSendMessage((queue, body) -> { }));
    }

    /** {@code sends}: SQS's SendMessage (the API queueing CDN invalidations), handed to the local queue it names. */
    public LocalAwsEndpoint(LocalEventBus bus, dev.mediagate.local.sqs.SqsSendMessage sends) throws IOException {
        this.bus = bus;
        this.sends = sends;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (bus.handles(exchange)) {
            bus.handle(exchange);
            return;
        }
        if (sends.handles(exchange)) {
            sends.handle(exchange);
            return;
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        if ("AmazonSQS.ChangeMessageVisibility".equals(target)) {
            HttpExchanges.send(exchange, 200, "application/x-amz-json-1.0", "{}".getBytes(StandardCharsets.UTF_8));
        } else {
            HttpExchanges.send(exchange, 400, "application/x-amz-json-1.0",
                    ("{\"__type\":\"UnknownOperationException\",\"message\":\"the local stack does not serve " + target + "\"}")
                            .getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
