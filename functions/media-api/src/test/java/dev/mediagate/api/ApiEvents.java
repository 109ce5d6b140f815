package dev.mediagate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.testing.CdnKeys;
import dev.mediagate.testing.LocalS3;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Drives the real {@link StreamLambdaHandler} with the repository's {@code events/*.json}, exactly as
 * {@code sam local invoke MediaApiFunction -e events/…} would, against the shared in-process S3.
 */
public final class ApiEvents {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static StreamLambdaHandler handler;

    private ApiEvents() {
    }

    public static synchronized StreamLambdaHandler handler() {
        if (handler == null) {
            LocalS3.shared();
            CdnKeys.configure();
            handler = new StreamLambdaHandler();
        }
        return handler;
    }

    public static ObjectNode event(String fileName) {
        Path path = Path.of(System.getProperty("mediagate.events.dir", "../../events")).resolve(fileName);
        try {
            return (ObjectNode) JSON.readTree(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event with another JSON body (and a matching content-length header). */
    public static ObjectNode withBody(ObjectNode event, String body) {
        ObjectNode copy = event.deepCopy();
        copy.put("body", body);
        ((ObjectNode) copy.get("headers")).put("content-length", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
        return copy;
    }

    /** The event for another file: its id in the path, as API Gateway would pass it. */
    public static ObjectNode forFile(ObjectNode event, String fileId) {
        ObjectNode copy = event.deepCopy();
        String example = copy.at("/pathParameters/fileId").asText();
        copy.put("rawPath", copy.get("rawPath").asText().replace(example, fileId));
        ((ObjectNode) copy.at("/requestContext/http")).put("path", copy.get("rawPath").asText());
        ((ObjectNode) copy.get("pathParameters")).put("fileId", fileId);
        return copy;
    }

    /** The event with this upload id, wherever the example names one (query string or body). */
    public static ObjectNode forUpload(ObjectNode event, String uploadId) {
        ObjectNode copy = event.deepCopy();
        if (copy.has("queryStringParameters")) {
            ((ObjectNode) copy.get("queryStringParameters")).put("uploadId", uploadId);
            copy.put("rawQueryString", "uploadId=" + java.net.URLEncoder.encode(uploadId, StandardCharsets.UTF_8));
        }
        if (copy.hasNonNull("body")) {
            try {
                ObjectNode body = (ObjectNode) JSON.readTree(copy.get("body").asText());
                body.put("uploadId", uploadId);
                return withBody(copy, body.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return copy;
    }

    /** The event as another caller: same issuer, another subject. */
    public static ObjectNode asSubject(ObjectNode event, String subject) {
        ObjectNode copy = event.deepCopy();
        ((ObjectNode) copy.at("/requestContext/authorizer/jwt/claims")).put("sub", subject);
        return copy;
    }

    public static ApiResponse invoke(JsonNode event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler().handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, new TestContext());
            return new ApiResponse(JSON.readTree(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An API Gateway payload 2.0 response. */
    public record ApiResponse(JsonNode raw) {

        public int status() {
            return raw.get("statusCode").asInt();
        }

        public String header(String name) {
            for (var entry : raw.path("multiValueHeaders").properties()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().get(0).asText();
                }
            }
            for (var entry : raw.path("headers").properties()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().asText();
                }
            }
            return null;
        }

        public JsonNode body() {
            try {
                return JSON.readTree(raw.get("body").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
