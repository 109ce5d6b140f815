package dev.mediagate.local.cdn;

import dev.mediagate.core.files.MediaKeys;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mediagate.local.HttpExchanges;
import dev.mediagate.local.LocalLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * CloudFront in front of the private bucket, locally: {@code GET}/{@code HEAD /{key}} only with a valid signed URL or
 * the three CloudFront cookies (checked by {@link CloudFrontVerifier} with the public key: signature, expiry, resource
 * wildcards, IP), then the object with its stored headers and {@code X-Content-Type-Options: nosniff}; otherwise 403.
 * Keys under {@code public/} are served without a signature, as the distribution's {@code /public/*} behaviour does;
 * keys the template's bucket policy does not let CloudFront read ({@link CdnOriginReads}: manifests, share and
 * multipart records) are refused. CloudFront's {@code CreateInvalidation}
 * is answered and logged: this edge keeps no cache to clear.
 */
public final class CdnEdge implements AutoCloseable {

    private final HttpServer server;
    private final CloudFrontVerifier verifier;
    private final CdnOriginReads originReads;
    /** The object's tags, for a bucket policy's s3:ExistingObjectTag conditions (none unless a stand-in tags objects). */
    private volatile java.util.function.Function<String, Map<String, String>> objectTags = key -> Map.of();
    private final String bucket;
    private final List<String> allowedOrigins;
    private final CloudFrontInvalidations invalidations = new CloudFrontInvalidations(invalidation ->
            LocalLog.line("cdn", "invalidation of " + String.join(" ", invalidation.paths())
                    + " (nothing cached here; CloudFront would drop these paths at every edge)"));
    private S3Client s3;
    private String baseUrl;

    /** Binds the port (so the signing base URL is known before the functions are configured); serves from {@link #start}. */
    public CdnEdge(int port, CloudFrontVerifier verifier, CdnOriginReads originReads, String bucket, List<String> allowedOrigins)
            throws IOException {
        this.verifier = verifier;
        this.originReads = originReads;
        this.bucket = bucket;
        this.allowedOrigins = List.copyOf(allowedOrigins);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every {@code CreateInvalidation} received, oldest first. */
    public List<CloudFrontInvalidations.Invalidation> invalidations() {
        return invalidations.requests();
    }

    /** Where the edge learns an object's tags, for the bucket policy's conditions on them (S3 evaluates them per object). */
    public void objectTags(java.util.function.Function<String, Map<String, String>> tagsOfKey) {
        this.objectTags = tagsOfKey;
    }

    public void start(S3Client origin, String cdnBaseUrl) {
        this.s3 = origin;
        this.baseUrl = cdnBaseUrl;
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        if (invalidations.handles(method, path)) {
            invalidations.handle(exchange);
            return;
        }
        cors(exchange);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            deny(exchange, path, "method not allowed");
            return;
        }
        String key;
        try {
            key = java.net.URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            badRequest(exchange, path, "a broken percent-escape");
            return;
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            badRequest(exchange, path, "a control character in the path");
            return;
        }
        if (!key.startsWith(MediaKeys.PUBLIC_PREFIX)) {
            // Matched as CloudFront does: the whole URL as sent, query string included, minus the signing parameters.
            String resource = CloudFrontVerifier.resourceUrl(baseUrl, path, exchange.getRequestURI().getRawQuery());
            Optional<String> refusal = verifier.refusal(resource, credentials(exchange),
                    exchange.getRemoteAddress().getAddress().getHostAddress(), Instant.now());
            if (refusal.isPresent()) {
                deny(exchange, path, refusal.get());
                return;
            }
        }
        if (List.of(key.split("/", -1)).stream().anyMatch(segment -> segment.equals(".") || segment.equals(".."))) {
            // No key mediagate writes has a dot segment; refused so that no normalisation can move a path out of the
            // prefix a policy granted.
            deny(exchange, path, "dot segment in the path");
            return;
        }
        if (key.isEmpty() || key.endsWith("/") || key.contains("//")) {
            // S3 takes a key literally: no key mediagate writes ends in a slash or has an empty segment, so S3 has no
            // such object. The local S3 keeps objects as files, whose paths would lead such a key to another object
            // (variants/…/manifest.json/ to the manifest): it is never asked.
            deny(exchange, path, "no such key in S3, which CloudFront may not list");
            return;
        }
        if (!originReads.mayRead(key, () -> objectTags.apply(key))) {
            deny(exchange, path, "the bucket policy does not let CloudFront read this key");
            return;
        }
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(g -> g.bucket(bucket).key(key))) {
            GetObjectResponse head = object.response();
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", Optional.ofNullable(head.contentType()).orElse("application/octet-stream"));
            Optional.ofNullable(head.contentDisposition()).ifPresent(value -> headers.set("Content-Disposition", value));
            Optional.ofNullable(head.cacheControl()).ifPresent(value -> headers.set("Cache-Control", value));
            Optional.ofNullable(head.eTag()).ifPresent(value -> headers.set("ETag", value));
            Optional.ofNullable(head.lastModified()).ifPresent(value -> headers.set("Last-Modified",
                    DateTimeFormatter.RFC_1123_DATE_TIME.format(value.atOffset(ZoneOffset.UTC))));
            headers.set("X-Content-Type-Options", "nosniff");
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            if (ifNoneMatch != null && ifNoneMatch.equals(head.eTag())) {
                exchange.sendResponseHeaders(304, -1);
                exchange.close();
            } else if (method.equals("HEAD")) {
                headers.set("Content-Length", String.valueOf(head.contentLength()));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            } else {
                exchange.sendResponseHeaders(200, head.contentLength() == 0 ? -1 : head.contentLength());
                try (OutputStream out = exchange.getResponseBody(); InputStream in = object) {
                    in.transferTo(out);
                }
            }
            LocalLog.line("cdn", method + " " + path + " " + exchange.getResponseCode());
        } catch (NoSuchKeyException e) {
            // The distribution reads the bucket through OAC with s3:GetObject only, and S3 answers a missing key 403
            // AccessDenied to a caller without s3:ListBucket (S3 API Reference, GetObject: "If you don't have the
            // s3:ListBucket permission, Amazon S3 returns an HTTP status code 403 Access Denied error"); CloudFront passes
            // it on. A deleted file's or an expired generation's URL answers the same.
            deny(exchange, path, "no such key in S3, which CloudFront may not list");
        }
    }

    /** Query-string credentials when the URL carries a signature, else the CloudFront cookies. */
    private static Map<String, String> credentials(HttpExchange exchange) {
        Map<String, String> query = HttpExchanges.query(exchange.getRequestURI().getRawQuery());
        Map<String, String> credentials = new LinkedHashMap<>();
        if (query.containsKey("Signature")) {
            for (String name : CloudFrontVerifier.SIGNING_PARAMETERS) {
                if (query.containsKey(name)) {
                    credentials.put(name, query.get(name));
                }
            }
            return credentials;
        }
        Map<String, String> cookies = HttpExchanges.cookies(exchange);
        for (String name : List.of("Policy", "Expires", "Signature", "Key-Pair-Id")) {
            if (cookies.containsKey("CloudFront-" + name)) {
                credentials.put(name, cookies.get("CloudFront-" + name));
            }
        }
        return credentials;
    }

    private void cors(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && allowedOrigins.contains(origin)) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
            exchange.getResponseHeaders().set("Access-Control-Allow-Credentials", "true");
            exchange.getResponseHeaders().set("Vary", "Origin");
        }
    }

    private static void badRequest(HttpExchange exchange, String path, String why) throws IOException {
        HttpExchanges.send(exchange, 400, "text/plain", "Bad Request".getBytes(StandardCharsets.UTF_8));
        LocalLog.line("cdn", exchange.getRequestMethod() + " " + path + " 400 (" + why + ")");
    }

    private static void deny(HttpExchange exchange, String path, String why) throws IOException {
        HttpExchanges.send(exchange, 403, "text/xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access denied</Message></Error>"
                        .getBytes(StandardCharsets.UTF_8));
        LocalLog.line("cdn", exchange.getRequestMethod() + " " + path + " 403 (" + why + ")");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
