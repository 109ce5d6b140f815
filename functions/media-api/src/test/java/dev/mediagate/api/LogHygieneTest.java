package dev.mediagate.api;

import static dev.mediagate.api.ApiEvents.event;
import static dev.mediagate.api.ApiEvents.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.testing.CdnKeys;
import dev.mediagate.testing.LocalS3;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Every route template.yaml declares, called through the handler as API Gateway would (share links opened, found and
 * not found, multipart uploads started, signed, listed, completed and aborted, as the owner and as a service caller);
 * every log line the handler writes meanwhile is scanned for share tokens, signatures, signed URLs, the bearer token
 * and the signing key.
 */
@Tag("events")
class LogHygieneTest {

    private static final String OWNER = "ksbadydqkpcosn4zkgtwasmyjuchops2";
    private static final String FILE_ID = "0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";
    private static final String UPLOAD = "{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":10}";
    private static final String MULTIPART = "{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":10,\"multipart\":true}";
    /** A share token that was never issued: its 404 must not log it either. */
    private static final String UNKNOWN_TOKEN = "Zm9yZ2VkLXRva2VuLXRoYXQtd2FzLW5ldmVyLWlzc3Vl";

    private final Set<String> called = new LinkedHashSet<>();
    private final List<JsonNode> responses = new ArrayList<>();

    @Test
    void noLogLineOnAnyRouteCarriesAShareTokenASignedUrlATokenOrTheSigningKey() throws Exception {
        ApiEvents.handler();
        List<String> secrets = new ArrayList<>(List.of("X-Amz-Signature", "X-Amz-Credential", "Signature=", "Policy=",
                "CloudFront-Signature", "BEGIN PRIVATE KEY", LocalS3.SECRET_KEY, UNKNOWN_TOKEN));
        secrets.add(event("api-create-upload.json").at("/headers/authorization").asText().substring("Bearer ".length()));
        secrets.add(Base64.getEncoder().encodeToString(CdnKeys.pair().getPrivate().getEncoded()).substring(40, 100));
        putReadyFile();

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (String prefix : List.of("", "/owners/" + OWNER)) {
                boolean service = !prefix.isEmpty();
                String routePrefix = service ? "/owners/{owner}" : "";
                call(service, "POST", routePrefix + "/uploads", prefix + "/uploads", null, UPLOAD);
                JsonNode multipart = call(service, "POST", routePrefix + "/uploads", prefix + "/uploads", null, MULTIPART);
                String uploadFile = multipart.get("fileId").asText();
                String uploadId = multipart.at("/upload/uploadId").asText();
                String uploads = prefix + "/uploads/" + uploadFile;
                call(service, "POST", routePrefix + "/uploads/{fileId}/parts", uploads + "/parts", null,
                        "{\"uploadId\":\"" + uploadId + "\",\"partNumbers\":[1]}");
                call(service, "GET", routePrefix + "/uploads/{fileId}/parts", uploads + "/parts", "uploadId=" + uploadId, null);
                call(service, "POST", routePrefix + "/uploads/{fileId}/complete", uploads + "/complete", null,
                        "{\"uploadId\":\"" + uploadId + "\",\"parts\":[{\"partNumber\":1,\"etag\":\"\\\"0\\\"\"}]}");
                call(service, "DELETE", routePrefix + "/uploads/{fileId}", uploads, "uploadId=" + uploadId, null);

                String file = prefix + "/files/" + FILE_ID;
                String fileRoute = routePrefix + "/files/{fileId}";
                call(service, "GET", fileRoute, file, null, null);
                call(service, "PATCH", fileRoute, file, null, "{\"visibility\":\"private\"}");
                JsonNode share = call(service, "POST", fileRoute + "/shares", file + "/shares", null, "{}");
                String token = share.get("url").asText().substring(share.get("url").asText().lastIndexOf('/') + 1);
                secrets.add(token);
                call(service, "GET", fileRoute + "/shares", file + "/shares", null, null);
                call(false, "GET", "/shared/{token}", "/shared/" + token, null, null);
                call(service, "DELETE", fileRoute + "/shares/{shareId}", file + "/shares/" + share.get("shareId").asText(), null, null);
                call(false, "GET", "/shared/{token}", "/shared/" + token, null, null);
            }
            call(false, "GET", "/shared/{token}", "/shared/" + UNKNOWN_TOKEN, null, null);
            call(false, "GET", "/me", "/me", null, null);
            call(false, "POST", "/cdn-cookies", "/cdn-cookies", null, "");
            call(true, "POST", "/links", "/links", null, "{\"files\":[{\"owner\":\"" + OWNER + "\",\"fileId\":\"" + FILE_ID + "\"}]}");
            call(true, "POST", "/owners/{owner}/files/{fileId}/reprocess", "/owners/" + OWNER + "/files/" + FILE_ID + "/reprocess", null,
                    "{\"force\":true}");
            call(true, "DELETE", "/owners/{owner}/files/{fileId}", "/owners/" + OWNER + "/files/1b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d", null, null);
            call(false, "DELETE", "/files/{fileId}", "/files/" + FILE_ID, null, null);
        } finally {
            System.setOut(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        Files.writeString(Path.of("target/handler-logs.txt"), logs);

        assertThat(called).as("every route template.yaml declares is called").containsExactlyInAnyOrderElementsOf(templateRoutes());
        assertThat(responses.toString()).contains("X-Amz-Signature").contains("Signature=");
        for (String secret : secrets) {
            assertThat(logs).as("logs must not contain %s", secret.length() > 20 ? secret.substring(0, 20) + "…" : secret)
                    .doesNotContain(secret);
        }
        assertThat(logs).as("the access log names route keys").contains("GET /shared/{token} 200").contains("GET /shared/{token} 404")
                .contains("POST /uploads/{fileId}/parts 200").contains("GET /files/{fileId} 200");
    }

    /** Every {@code Method} + {@code Path} of an {@code HttpApi} event in template.yaml. */
    static Set<String> templateRoutes() throws IOException {
        String template = Files.readString(Path.of(System.getProperty("mediagate.root", "../..")).resolve("template.yaml"));
        Matcher route = Pattern.compile("Type: HttpApi\\s+Properties:(?:\\s+\\w+: .*)*?\\s+Method: (\\S+)\\s+Path: (\\S+)")
                .matcher(template);
        Set<String> routes = new LinkedHashSet<>();
        while (route.find()) {
            routes.add(route.group(1) + " " + route.group(2));
        }
        assertThat(routes).as("routes found in template.yaml").hasSizeGreaterThan(20);
        return routes;
    }

    /** One API Gateway payload 2.0 event for this route, with the path, query and body given; its JSON answer. */
    private JsonNode call(boolean service, String method, String routePath, String path, String query, String body) {
        String routeKey = method + " " + routePath;
        called.add(routeKey);
        ObjectNode event = event(service ? "api-service-get-file.json" : "api-get-file.json");
        event.put("routeKey", routeKey);
        event.put("rawPath", path);
        event.put("rawQueryString", query == null ? "" : query);
        ObjectNode context = (ObjectNode) event.get("requestContext");
        context.put("routeKey", routeKey);
        ((ObjectNode) context.get("http")).put("method", method).put("path", path);
        if (routePath.startsWith("/shared/")) {
            context.remove("authorizer");
            ((ObjectNode) event.get("headers")).remove("authorization");
        }
        event.set("pathParameters", ApiEvents.JSON.valueToTree(pathParameters(routePath, path)));
        if (query != null) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String pair : query.split("&")) {
                parameters.put(pair.substring(0, pair.indexOf('=')), URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8));
            }
            event.set("queryStringParameters", ApiEvents.JSON.valueToTree(parameters));
        }
        if (body != null) {
            event = ApiEvents.withBody(event, body);
            ((ObjectNode) event.get("headers")).put("content-type", "application/json");
        }
        JsonNode raw = invoke(event).raw();
        responses.add(raw);
        try {
            String text = raw.path("body").asText();
            return text.isEmpty() ? ApiEvents.JSON.createObjectNode() : ApiEvents.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> pathParameters(String routePath, String path) {
        String[] names = routePath.split("/");
        String[] values = path.split("/");
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (names[i].startsWith("{")) {
                parameters.put(names[i].substring(1, names[i].length() - 1), values[i]);
            }
        }
        return parameters;
    }

    private static void putReadyFile() {
        var s3 = LocalS3.shared().client();
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key("originals/" + OWNER + "/" + FILE_ID).contentType("image/jpeg"),
                RequestBody.fromBytes(new byte[10]));
        Manifest manifest = new Manifest(1, FILE_ID, Manifest.READY, null, "private",
                new Manifest.Source("originals/" + OWNER + "/" + FILE_ID, "e", "a.jpg", "image/jpeg", 10, 4, 3, null, null),
                Map.of("thumb", new Manifest.VariantEntry("variants/" + OWNER + "/" + FILE_ID + "/thumb.jpg", 4, 3, "image/jpeg", 5)),
                "data:image/jpeg;base64,AA", "2026-11-21T10:00:00Z", null, null);
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key("variants/" + OWNER + "/" + FILE_ID + "/manifest.json"),
                RequestBody.fromBytes(manifest.toJson()));
    }
}
