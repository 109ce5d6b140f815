package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.testing.Documents;
import dev.mediagate.testing.Images;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local stack's real requests and answers, as {@code openapi.yaml} describes them: every route of the template, for
 * its owner and for a service caller, through its successes and its errors (invalid fields, malformed JSON, another
 * media type, an oversized body, a file not ready, a file or upload not found, no token, no scope). A request that
 * breaks the document's rules on purpose is sent to check the answer only; every other one is checked both ways.
 */
class OpenApiContractIT {

    private static OpenApiDocument document;
    private static LocalStack stack;
    private static StackClient client;
    private static String alice;
    private static String backend;
    private static String owner;
    private final List<String> undocumented = new ArrayList<>();

    @BeforeAll
    static void signIn() throws Exception {
        document = OpenApiDocument.load();
        stack = RunningStack.get();
        client = new StackClient(stack);
        alice = client.token("openapi-" + System.nanoTime());
        backend = client.token("backend", "mediagate/service");
        owner = client.json(client.send(client.get("/me", alice))).get("owner").asText();
    }

    @AfterAll
    static void close() throws Exception {
        document.close();
    }

    @AfterEach
    void everyExchangeIsDescribed() {
        assertThat(undocumented).as("exchanges openapi.yaml does not describe").isEmpty();
    }

    @Test
    void uploadsAndTheirErrors() throws Exception {
        String upload = "{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":10}";
        assertThat(send("POST", "/uploads", alice, upload).statusCode()).isEqualTo(201);
        assertThat(send("POST", "/uploads", alice, "{\"filename\":\"a.pdf\",\"contentType\":\"application/pdf\",\"size\":10,"
                + "\"multipart\":true}").statusCode()).isEqualTo(201);
        assertThat(send("POST", "/owners/" + owner + "/uploads", backend, upload).statusCode()).isEqualTo(201);

        assertThat(sendInvalid("POST", "/uploads", alice, "application/json", "{\"filename\":\"\",\"size\":\"1\"}").statusCode())
                .isEqualTo(400);
        assertThat(send("POST", "/uploads", alice, "{\"filename\":\"a.jpg\",\"contentType\":\"image/x-unknown\",\"size\":10}")
                .statusCode()).as("a type outside AllowedContentTypes").isEqualTo(400);
        assertThat(sendInvalid("POST", "/uploads", alice, "application/json", "{\"filename\":").statusCode()).isEqualTo(400);
        assertThat(sendInvalid("POST", "/uploads", alice, "text/plain", "filename=a.jpg").statusCode()).isEqualTo(415);
        assertThat(send("POST", "/uploads", alice, "{\"filename\":\"" + "a".repeat(17 * 1024) + "\",\"contentType\":\"image/jpeg\","
                + "\"size\":10}").statusCode()).isEqualTo(413);
        assertThat(send("POST", "/uploads", null, upload).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/owners/" + owner + "/uploads", alice, upload).statusCode()).isEqualTo(403);
    }

    @Test
    void aMultipartUploadFromItsPartsToItsCompletion() throws Exception {
        for (String base : List.of("", "/owners/" + owner)) {
            String token = base.isEmpty() ? alice : backend;
            byte[] bytes = Documents.pdf(1000);
            JsonNode created = client.json(send("POST", base + "/uploads", token, "{\"filename\":\"doc.pdf\",\"contentType\":"
                    + "\"application/pdf\",\"size\":" + bytes.length + ",\"multipart\":true}"));
            String path = base + "/uploads/" + created.get("fileId").asText();
            String uploadId = created.at("/upload/uploadId").asText();
            String query = "?uploadId=" + java.net.URLEncoder.encode(uploadId, java.nio.charset.StandardCharsets.UTF_8);

            assertThat(send("GET", path + "/parts" + query, token, null).statusCode()).isEqualTo(200);
            assertThat(sendInvalid("GET", path + "/parts", token, null, null).statusCode()).isEqualTo(400);
            assertThat(send("POST", path + "/parts", token, "{\"uploadId\":\"" + uploadId + "\",\"partNumbers\":[2]}").statusCode())
                    .as("a part beyond the layout").isEqualTo(400);
            assertThat(send("POST", path + "/complete", token, "{\"uploadId\":\"" + uploadId + "\",\"parts\":[{\"partNumber\":1,"
                    + "\"etag\":\"\\\"0\\\"\"}]}").statusCode()).as("a part not uploaded").isEqualTo(400);
            JsonNode part = client.json(send("POST", path + "/parts", token, "{\"uploadId\":\"" + uploadId + "\",\"partNumbers\":[1]}"))
                    .at("/parts/0");
            String etag = client.send(HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build()).headers().firstValue("ETag").orElseThrow();
            assertThat(send("GET", path + "/parts" + query, token, null).statusCode()).isEqualTo(200);
            assertThat(send("POST", path + "/complete", token, "{\"uploadId\":\"" + uploadId + "\",\"parts\":[{\"partNumber\":1,"
                    + "\"etag\":" + StackClient.JSON.writeValueAsString(etag) + "}]}").statusCode()).isEqualTo(200);

            JsonNode other = client.json(send("POST", base + "/uploads", token, "{\"filename\":\"other.pdf\",\"contentType\":"
                    + "\"application/pdf\",\"size\":10,\"multipart\":true}"));
            String otherPath = base + "/uploads/" + other.get("fileId").asText() + "?uploadId="
                    + java.net.URLEncoder.encode(other.at("/upload/uploadId").asText(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(send("DELETE", otherPath, token, null).statusCode()).isEqualTo(204);
            assertThat(send("DELETE", otherPath, token, null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aFileThroughItsStatesVisibilityAndRemoval() throws Exception {
        String image = client.upload(alice, "photo.jpg", "image/jpeg", Images.jpeg(Images.quadrants(640, 480))).get("fileId").asText();
        String pdf = client.upload(alice, "notes.pdf", "application/pdf", Documents.pdf(2000)).get("fileId").asText();
        String mislabelled = client.upload(alice, "fake.jpg", "image/jpeg", Documents.pdf(2000)).get("fileId").asText();
        assertThat(send("GET", "/files/" + image, alice, null).statusCode()).isEqualTo(200);
        assertThat(send("PATCH", "/files/" + mislabelled, alice, "{\"visibility\":\"public\"}").statusCode())
                .as("not ready (processing or rejected)").isEqualTo(409);
        assertThat(client.waitUntilDone(image, alice).get("status").asText()).isEqualTo("ready");
        assertThat(client.waitUntilDone(pdf, alice).get("status").asText()).isEqualTo("ready");
        assertThat(client.waitUntilDone(mislabelled, alice).get("status").asText()).isEqualTo("rejected");

        for (String fileId : List.of(image, pdf, mislabelled)) {
            assertThat(send("GET", "/files/" + fileId, alice, null).statusCode()).isEqualTo(200);
            assertThat(send("GET", "/owners/" + owner + "/files/" + fileId, backend, null).statusCode()).isEqualTo(200);
        }
        assertThat(send("PATCH", "/files/" + image, alice, "{\"visibility\":\"public\"}").statusCode()).isEqualTo(200);
        assertThat(send("PATCH", "/owners/" + owner + "/files/" + image, backend, "{\"visibility\":\"private\"}").statusCode())
                .isEqualTo(200);
        assertThat(sendInvalid("PATCH", "/files/" + image, alice, "application/json", "{\"visibility\":\"secret\"}").statusCode())
                .isEqualTo(400);
        assertThat(sendInvalid("PATCH", "/files/" + image, alice, "application/json", "{\"owner\":\"x\"}").statusCode())
                .isEqualTo(400);
        assertThat(sendInvalid("PATCH", "/files/" + image, alice, "text/plain", "public").statusCode()).isEqualTo(415);
        assertThat(send("PATCH", "/files/" + UUID.randomUUID(), alice, "{\"visibility\":\"public\"}").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/cdn-cookies", alice, null).statusCode()).isEqualTo(204);

        assertThat(send("DELETE", "/files/" + pdf, alice, null).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "/owners/" + owner + "/files/" + mislabelled, backend, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/files/" + pdf, alice, null).statusCode()).isEqualTo(404);
    }

    @Test
    void shareLinksAndAPageOfLinks() throws Exception {
        String fileId = client.upload(alice, "shared.jpg", "image/jpeg", Images.jpeg(Images.quadrants(320, 240))).get("fileId").asText();
        assertThat(client.waitUntilDone(fileId, alice).get("status").asText()).isEqualTo("ready");
        String processing = client.upload(alice, "later.pdf", "application/pdf", Documents.pdf(500)).get("fileId").asText();

        for (String base : List.of("/files/" + fileId, "/owners/" + owner + "/files/" + fileId)) {
            String token = base.startsWith("/owners/") ? backend : alice;
            JsonNode share = client.json(send("POST", base + "/shares", token, "{\"expiresInSeconds\":3600}"));
            assertThat(send("POST", base + "/shares", token, null).statusCode()).as("no body: the default lifetime").isEqualTo(201);
            assertThat(sendInvalid("POST", base + "/shares", token, "application/json", "{\"expiresInSeconds\":5}").statusCode())
                    .isEqualTo(400);
            assertThat(send("GET", base + "/shares", token, null).statusCode()).isEqualTo(200);
            String sharedPath = URI.create(share.get("url").asText()).getPath();
            assertThat(send("GET", sharedPath, null, null).statusCode()).isEqualTo(200);
            assertThat(send("DELETE", base + "/shares/" + share.get("shareId").asText(), token, null).statusCode()).isEqualTo(204);
            assertThat(send("DELETE", base + "/shares/" + share.get("shareId").asText(), token, null).statusCode()).isEqualTo(404);
            assertThat(send("GET", sharedPath, null, null).statusCode()).isEqualTo(404);
        }
        assertThat(send("GET", "/files/" + UUID.randomUUID() + "/shares", alice, null).statusCode()).isEqualTo(404);

        String page = "{\"files\":[{\"owner\":\"" + owner + "\",\"fileId\":\"" + fileId + "\"},{\"owner\":\"" + owner
                + "\",\"fileId\":\"" + processing + "\"},{\"owner\":\"" + owner + "\",\"fileId\":\"" + UUID.randomUUID() + "\"}],"
                + "\"variants\":[\"thumb\"]}";
        assertThat(send("POST", "/links", backend, page).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/links", backend, "{\"files\":[{\"owner\":\"" + owner + "\",\"fileId\":\"" + UUID.randomUUID()
                + "\"}]}").statusCode()).as("a page without any URL").isEqualTo(200);
        assertThat(sendInvalid("POST", "/links", backend, "application/json", "{\"files\":[]}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/links", alice, page).statusCode()).isEqualTo(403);
    }

    /** A request the document allows; its answer, checked with it. */
    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        return exchange(method, path, token, body == null ? null : "application/json", body, true);
    }

    /** A request that breaks the document's rules on purpose: only its answer is checked. */
    private HttpResponse<String> sendInvalid(String method, String path, String token, String contentType, String body) throws Exception {
        return exchange(method, path, token, contentType, body, false);
    }

    private HttpResponse<String> exchange(String method, String path, String token, String contentType, String body, boolean checkRequest)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = client.send(request.build());
        undocumented.addAll(document.violations(new OpenApiDocument.Exchange(method, path, contentType, body, response.statusCode(),
                response.headers().map(), response.body()), checkRequest));
        return response;
    }
}
