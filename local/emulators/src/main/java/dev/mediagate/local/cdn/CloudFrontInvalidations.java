package dev.mediagate.local.cdn;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudFront's {@code CreateInvalidation} as the SDK calls it ({@code POST /2020-05-31/distribution/{id}/invalidation}),
 * answered as CloudFront does and recorded: the local edge has no cache to clear, so it keeps the requests for tests
 * and logs what it would have invalidated.
 */
public final class CloudFrontInvalidations {

    public static final String DISTRIBUTION_ID = "E2MEDIAGATELOCAL";
    private static final Pattern ROUTE = Pattern.compile("/2020-05-31/distribution/([A-Z0-9]+)/invalidation");
    private static final Pattern PATH = Pattern.compile("<Path>([^<]*)</Path>");
    private static final Pattern CALLER_REFERENCE = Pattern.compile("<CallerReference>([^<]*)</CallerReference>");
    private static CloudFrontInvalidations shared;

    private final List<Invalidation> requests = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger refusalsLeft = new java.util.concurrent.atomic.AtomicInteger();
    private final Consumer<Invalidation> listener;

    public CloudFrontInvalidations(Consumer<Invalidation> listener) {
        this.listener = listener;
    }

    /** One recorded request: the distribution and the paths it named. */
    public record Invalidation(String distributionId, List<String> paths) {
    }

    /** A recorder on its own loopback port, shared by a test JVM; {@link #endpoint()} is what the SDK is pointed at. */
    public static synchronized Server shared() {
        if (shared == null) {
            shared = new CloudFrontInvalidations(request -> { });
        }
        return Server.of(shared);
    }

    public boolean handles(String method, String path) {
        return "POST".equals(method) && ROUTE.matcher(path).matches();
    }

    public void handle(HttpExchange exchange) throws IOException {
        Matcher route = ROUTE.matcher(exchange.getRequestURI().getPath());
        if (!route.matches()) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> paths = new ArrayList<>();
        Matcher path = PATH.matcher(body);
        while (path.find()) {
            paths.add(path.group(1));
        }
        if (refusalsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            // CloudFront's answer when a distribution has too many invalidations in progress (400, a Sender error).
            byte[] refusal = ("<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">"
                    + "<Error><Type>Sender</Type><Code>TooManyInvalidationsInProgress</Code><Message>Processing your request "
                    + "will cause you to exceed the maximum number of in-progress wildcard invalidations.</Message></Error>"
                    + "<RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(400, refusal.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(refusal);
            }
            return;
        }
        Matcher reference = CALLER_REFERENCE.matcher(body);
        Invalidation invalidation = new Invalidation(route.group(1), List.copyOf(paths));
        requests.add(invalidation);
        listener.accept(invalidation);
        String id = "I" + UUID.randomUUID().toString().replace("-", "").substring(0, 13).toUpperCase(java.util.Locale.ROOT);
        StringBuilder items = new StringBuilder();
        paths.forEach(p -> items.append("<Path>").append(p).append("</Path>"));
        byte[] answer = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Invalidation xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Id>" + id + "</Id>"
                + "<Status>InProgress</Status><CreateTime>" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "</CreateTime>"
                + "<InvalidationBatch><Paths><Quantity>" + paths.size() + "</Quantity><Items>" + items + "</Items></Paths>"
                + "<CallerReference>" + (reference.find() ? reference.group(1) : "") + "</CallerReference></InvalidationBatch>"
                + "</Invalidation>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.getResponseHeaders().set("Location", "https://cloudfront.amazonaws.com" + route.group(0) + "/" + id);
        exchange.sendResponseHeaders(201, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    /** The next {@code count} requests are refused with {@code TooManyInvalidationsInProgress}, as CloudFront does. */
    public void refuseNext(int count) {
        refusalsLeft.set(count);
    }

    /** Every request so far, oldest first. */
    public List<Invalidation> requests() {
        return List.copyOf(requests);
    }

    /** A loopback HTTP server answering only {@code CreateInvalidation}. */
    public record Server(CloudFrontInvalidations recorder, URI endpoint) {

        private static Server running;

        static synchronized Server of(CloudFrontInvalidations recorder) {
            if (running == null) {
                try {
                    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
                    server.createContext("/", recorder::handle);
                    server.start();
                    running = new Server(recorder, URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot start the CloudFront stand-in", e);
                }
            }
            return running;
        }
    }
}
