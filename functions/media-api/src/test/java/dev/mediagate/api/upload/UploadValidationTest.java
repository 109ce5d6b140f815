package dev.mediagate.api.upload;

import static dev.mediagate.api.ApiEvents.event;
import static dev.mediagate.api.ApiEvents.invoke;
import static dev.mediagate.api.ApiEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.api.ApiEvents;
import dev.mediagate.api.ApiEvents.ApiResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every field rule of {@code POST /uploads}, as a client sees it: problem+json naming the field. */
@Tag("events")
class UploadValidationTest {

    private static final ObjectNode UPLOAD = event("api-create-upload.json");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing filename        | {"contentType":"image/jpeg","size":10}                                  | filename
            filename not a string   | {"filename":7,"contentType":"image/jpeg","size":10}                     | filename
            only path parts         | {"filename":"../../","contentType":"image/jpeg","size":10}              | filename
            only control characters | {"filename":"\\u0000\\u202e\\t","contentType":"image/jpeg","size":10}   | filename
            missing contentType     | {"filename":"a.jpg","size":10}                                          | contentType
            disallowed contentType  | {"filename":"a.html","contentType":"text/html","size":10}               | contentType
            svg is not allowed      | {"filename":"a.svg","contentType":"image/svg+xml","size":10}            | contentType
            contentType parameters  | {"filename":"a.jpg","contentType":"image/jpeg; charset=x","size":10}    | contentType
            missing size            | {"filename":"a.jpg","contentType":"image/jpeg"}                         | size
            size as a string        | {"filename":"a.jpg","contentType":"image/jpeg","size":"10"}             | size
            size as a fraction      | {"filename":"a.jpg","contentType":"image/jpeg","size":10.5}             | size
            size zero               | {"filename":"a.jpg","contentType":"image/jpeg","size":0}                | size
            size negative           | {"filename":"a.jpg","contentType":"image/jpeg","size":-1}               | size
            size over the limit     | {"filename":"a.jpg","contentType":"image/jpeg","size":26214401}         | size
            size beyond a long      | {"filename":"a.jpg","contentType":"image/jpeg","size":99999999999999999999999} | size
            checksum not base64     | {"filename":"a.jpg","contentType":"image/jpeg","size":10,"checksumSha256":"%%%"} | checksumSha256
            checksum of 16 bytes    | {"filename":"a.jpg","contentType":"image/jpeg","size":10,"checksumSha256":"AAAAAAAAAAAAAAAAAAAAAA=="} | checksumSha256
            """)
    void refusesWithAProblemNamingTheField(String rule, String body, String field) {
        ApiResponse response = invoke(withBody(UPLOAD, body));

        assertThat(response.status()).as(rule).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(fields(response.body())).as(rule).containsExactly(field);
        assertThat(response.body().get("title").asText()).isEqualTo("Invalid request");
    }

    /**
     * HEIC is opt-in (HeicSupport, docs/image-variants.md): without it image/heic is not an allowed type, and an iPhone's
     * HEIC is refused up front, naming the types that are.
     */
    @Test
    void refusesHeicNamingTheTypesThatAreSupported() {
        ApiResponse response = invoke(withBody(UPLOAD, "{\"filename\":\"IMG_0001.HEIC\",\"contentType\":\"image/heic\",\"size\":10}"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().at("/errors/0/field").asText()).isEqualTo("contentType");
        assertThat(response.body().at("/errors/0/message").asText()).contains("image/jpeg", "image/png", "image/webp");
    }

    @Test
    void refusesAFileNameOf300BytesAndSaysHowLongItWas() {
        String name = "é".repeat(148) + ".jpg";

        ApiResponse response = invoke(withBody(UPLOAD, body(name)));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().at("/errors/0/field").asText()).isEqualTo("filename");
        assertThat(response.body().at("/errors/0/message").asText()).contains("255").contains("300");
    }

    @Test
    void acceptsAFileNameOfExactly255Bytes() {
        String name = "a".repeat(251) + ".jpg";

        assertThat(invoke(withBody(UPLOAD, body(name))).status()).isEqualTo(201);
    }

    @Test
    void keepsOnlyTheLastPathPartOfTheFileName() {
        JsonNode headers = invoke(withBody(UPLOAD, body("../../x"))).body().at("/upload/headers");

        assertThat(headers.get("Content-Disposition").asText()).isEqualTo("attachment; filename*=UTF-8''x");
        assertThat(headers.get("x-amz-meta-filename").asText()).isEqualTo("x");
    }

    @Test
    void removesARightToLeftOverrideThatDisguisesTheExtension() {
        JsonNode headers = invoke(withBody(UPLOAD, body("invoice\u202Egpj.exe"))).body().at("/upload/headers");

        assertThat(headers.get("x-amz-meta-filename").asText()).isEqualTo("invoicegpj.exe");
    }

    @Test
    void keepsEmojiAndAccentsAsPercentEncodedUtf8() {
        JsonNode headers = invoke(withBody(UPLOAD, body("Café 🎉.jpg"))).body().at("/upload/headers");

        assertThat(headers.get("Content-Disposition").asText())
                .isEqualTo("attachment; filename*=UTF-8''Caf%C3%A9%20%F0%9F%8E%89.jpg");
        assertThat(headers.get("x-amz-meta-filename").asText()).isEqualTo("Caf%C3%A9%20%F0%9F%8E%89.jpg");
    }

    @Test
    void reportsEveryInvalidFieldOfTheBadInputEvent() {
        ApiResponse response = invoke(event("api-create-upload-invalid.json"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(fields(response.body())).containsExactly("contentType", "size", "checksumSha256");
    }

    @Test
    void answers401ProblemWhenTheEventCarriesNoClaims() {
        ApiResponse response = invoke(event("api-create-upload-no-token.json"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(response.body().get("status").asInt()).isEqualTo(401);
    }

    @Test
    void answers401BeforeLookingAtTheBody() {
        ObjectNode event = withBody(ApiEvents.event("api-create-upload-no-token.json"), "not json");

        assertThat(invoke(event).status()).isEqualTo(401);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON           | {filename:
            a JSON array       | [1,2]
            duplicated field   | {"filename":"a.jpg","filename":"b.jpg","contentType":"image/jpeg","size":10}
            empty body         | ''
            """)
    void refusesABodyThatIsNotOneJsonObject(String rule, String body) {
        ApiResponse response = invoke(withBody(UPLOAD, body));

        assertThat(response.status()).as(rule).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void refusesABodyLargerThan16KibWith413() {
        String body = "{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":10,\"padding\":\"" + "x".repeat(20_000) + "\"}";

        ApiResponse response = invoke(withBody(UPLOAD, body));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void refusesDeeplyNestedJsonWithoutFailing() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);

        ApiResponse response = invoke(withBody(UPLOAD, "{\"filename\":" + deep + "}"));

        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void keepsLookalikeSlashesAsPartOfTheNameAndEncodesThem() {
        JsonNode headers = invoke(withBody(UPLOAD, body("..\uFF0F..\uFF0Fpasswd"))).body().at("/upload/headers");

        assertThat(headers.get("x-amz-meta-filename").asText()).isEqualTo("..%EF%BC%8F..%EF%BC%8Fpasswd");
    }

    @Test
    void answers415ForAnotherMediaType() {
        ObjectNode event = withBody(UPLOAD, "filename=a.jpg");
        ((ObjectNode) event.get("headers")).put("content-type", "application/x-www-form-urlencoded");

        ApiResponse response = invoke(event);

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void answers405ForAnotherMethod() {
        ObjectNode event = UPLOAD.deepCopy();
        event.put("routeKey", "PUT /uploads");
        ((ObjectNode) event.at("/requestContext/http")).put("method", "PUT");

        ApiResponse response = invoke(event);

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void answers404ProblemForAnUnknownRoute() {
        ObjectNode event = UPLOAD.deepCopy();
        event.put("rawPath", "/nothing-here");
        ((ObjectNode) event.at("/requestContext/http")).put("path", "/nothing-here");

        ApiResponse response = invoke(event);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    private static String body(String filename) {
        return ApiEvents.JSON.createObjectNode().put("filename", filename).put("contentType", "image/jpeg").put("size", 10).toString();
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }
}
