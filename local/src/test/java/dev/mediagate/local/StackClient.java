package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A frontend's view of the running local stack: dev tokens, the API's routes, presigned uploads. */
public final class StackClient {

    public static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final java.util.function.Supplier<String> apiUrl;

    public StackClient(LocalStack stack) {
        this.apiUrl = stack::apiUrl;
    }

    /** A client of a stack in another process (the packaged jar), by its API's base URL. */
    public StackClient(String apiUrl) {
        this.apiUrl = () -> apiUrl;
    }

    public String token(String user) throws Exception {
        return token(user, "");
    }

    /** A dev token with these space-separated scopes, e.g. {@code mediagate/service} for a backend. */
    public String token(String user, String scope) throws Exception {
        return json(send(HttpRequest.newBuilder(URI.create(apiUrl.get() + "/_local/token?sub=" + user + "&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8))).build()), 200).get("token").asText();
    }

    /** Asks for an upload URL and PUTs the bytes with exactly the headers the answer names; returns the answer. */
    public JsonNode upload(String token, String filename, String contentType, byte[] bytes) throws Exception {
        return upload(token, filename, contentType, bytes, "private");
    }

    public JsonNode upload(String token, String filename, String contentType, byte[] bytes, String visibility) throws Exception {
        return upload(token, filename, contentType, bytes, visibility, fileId -> { });
    }

    /** As above; {@code beforePut} learns the file id before the bytes go up (and any event about them). */
    public JsonNode upload(String token, String filename, String contentType, byte[] bytes, String visibility,
            java.util.function.Consumer<String> beforePut) throws Exception {
        JsonNode upload = json(send(post("/uploads", token, "{\"filename\":\"" + filename + "\",\"contentType\":\"" + contentType
                + "\",\"size\":" + bytes.length + ",\"visibility\":\"" + visibility + "\"}")), 201);
        beforePut.accept(upload.get("fileId").asText());
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.at("/upload/url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        upload.at("/upload/headers").properties().forEach(h -> put.header(h.getKey(), h.getValue().asText()));
        assertThat(send(put.build()).statusCode()).isEqualTo(200);
        return upload;
    }

    public JsonNode waitUntilDone(String fileId, String token) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode file = json(send(get("/files/" + fileId, token)), 200);
            if (!file.get("status").asText().equals("processing") || System.nanoTime() > deadline) {
                return file;
            }
            Thread.sleep(100);
        }
    }

    public HttpRequest post(String path, String token, String body) {
        return HttpRequest.newBuilder(URI.create(apiUrl.get() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** A GET, without any token when {@code token} is null (share links). */
    public HttpRequest get(String path, String token) {
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(apiUrl.get() + path)).GET();
        return token == null ? get.build() : get.header("Authorization", "Bearer " + token).build();
    }

    public HttpRequest patch(String path, String token, String body) {
        return HttpRequest.newBuilder(URI.create(apiUrl.get() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build();
    }

    public HttpRequest delete(String path, String token) {
        return HttpRequest.newBuilder(URI.create(apiUrl.get() + path)).header("Authorization", "Bearer " + token).DELETE().build();
    }

    public HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    public static JsonNode json(HttpResponse<String> response, int expectedStatus) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
