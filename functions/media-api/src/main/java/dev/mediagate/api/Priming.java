package dev.mediagate.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.files.Owner;
import dev.mediagate.core.upload.UploadConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Synthetic requests run before a SnapStart snapshot, so that Jackson, the presigner, the S3 client and the RSA signing
 * path are loaded and compiled in the snapshot rather than on a user's first request. They come from a caller no token
 * can name ({@code https://snapstart-priming.invalid/}), write nothing to S3 and count in no metric. Any answer other
 * than the expected one throws: the snapshot fails, so a version that cannot serve is never published.
 */
final class Priming {

    static final String ISSUER = "https://snapstart-priming.invalid/";
    private static final String SERVICE_SCOPE = Settings.fromEnvironment().string("SERVICE_SCOPE", "mediagate/service");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Priming() {
    }

    static void prime(StreamLambdaHandler handler, int rounds) {
        requireBucket(handler.bean(S3Client.class), handler.bean(UploadConfig.class).bucket());
        for (int round = 0; round < rounds; round++) {
            String caller = "priming-" + round;
            expect(201, handler, event("POST", "/uploads", "POST /uploads", caller,
                    "{\"filename\":\"priming.jpg\",\"contentType\":\"image/jpeg\",\"size\":1024}"));
            expect(204, handler, event("POST", "/cdn-cookies", "POST /cdn-cookies", caller, null));
            expect(200, handler, event("GET", "/me", "GET /me", caller, null));
            if (round < 2) {
                String fileId = UUID.randomUUID().toString();
                ObjectNode get = event("GET", "/files/" + fileId, "GET /files/{fileId}", caller, null);
                get.putObject("pathParameters").put("fileId", fileId);
                expect(404, handler, get);
                ObjectNode patch = event("PATCH", "/files/" + fileId, "PATCH /files/{fileId}", caller, "{\"visibility\":\"public\"}");
                patch.putObject("pathParameters").put("fileId", fileId);
                expect(404, handler, patch);
                // A multipart upload's routes, on an upload that does not exist: parsing, routing and the record lookup.
                ObjectNode parts = event("POST", "/uploads/" + fileId + "/parts", "POST /uploads/{fileId}/parts", caller,
                        "{\"uploadId\":\"priming\",\"partNumbers\":[1,2]}");
                parts.putObject("pathParameters").put("fileId", fileId);
                expect(404, handler, parts);
                String owner = Owner.of(ISSUER, caller).value();
                ObjectNode links = event("POST", "/links", "POST /links", caller,
                        "{\"files\":[{\"owner\":\"" + owner + "\",\"fileId\":\"" + fileId + "\"}]}");
                ((ObjectNode) links.at("/requestContext/authorizer/jwt/claims")).put("scope", SERVICE_SCOPE);
                expect(200, handler, links);
                String token = "priming-token-that-no-share-link-has-000000";
                ObjectNode shared = event("GET", "/shared/" + token, "GET /shared/{token}", caller, null);
                ((ObjectNode) shared.get("requestContext")).remove("authorizer");
                shared.putObject("pathParameters").put("token", token);
                expect(404, handler, shared);
            }
        }
    }

    /**
     * The media bucket, which every route but {@code POST /uploads} reads: checked first, so that a snapshot taken before
     * the bucket exists (or while the role cannot reach it) fails saying so, not as a route's 500.
     */
    static void requireBucket(S3Client s3, String bucket) {
        try {
            s3.headBucket(head -> head.bucket(bucket));
        } catch (NoSuchBucketException e) {
            throw new IllegalStateException("priming: the media bucket " + bucket + " does not exist; this version must be"
                    + " published after the bucket is created (template.yaml: MediaApiFunction DependsOn MediaBucket)", e);
        } catch (S3Exception e) {
            throw new IllegalStateException("priming: the media bucket " + bucket + " answered " + e.statusCode() + " "
                    + (e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode())
                    + (e.statusCode() == 404 ? " (it does not exist)" : e.statusCode() == 403 ? " (the function's role may not list it)" : ""), e);
        }
    }

    private static ObjectNode event(String method, String path, String routeKey, String subject, String body) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        headers.put("host", "priming.invalid");
        headers.put("accept", "application/json");
        if (body != null) {
            headers.put("content-type", "application/json");
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", "priming");
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        ObjectNode claims = context.putObject("authorizer").putObject("jwt").putObject("claims");
        claims.put("iss", ISSUER);
        claims.put("sub", subject);
        return event;
    }

    private static void expect(int status, StreamLambdaHandler handler, ObjectNode event) {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), response, null);
            int answered = JSON.readTree(response.toByteArray()).path("statusCode").asInt();
            if (answered != status) {
                throw new IllegalStateException("priming: " + event.get("routeKey").asText() + " answered " + answered
                        + " instead of " + status + "; this version must not be published (see the function's log)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
