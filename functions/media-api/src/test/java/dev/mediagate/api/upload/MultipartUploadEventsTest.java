package dev.mediagate.api.upload;

import static dev.mediagate.api.ApiEvents.asSubject;
import static dev.mediagate.api.ApiEvents.event;
import static dev.mediagate.api.ApiEvents.forFile;
import static dev.mediagate.api.ApiEvents.forUpload;
import static dev.mediagate.api.ApiEvents.invoke;
import static dev.mediagate.api.ApiEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.api.ApiEvents;
import dev.mediagate.api.ApiEvents.ApiResponse;
import dev.mediagate.core.files.Owner;
import dev.mediagate.testing.LocalS3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The multipart events of {@code events/} through the real handler, in the order a client sends them, with the parts
 * going to S3Proxy (SigV4 checked) in between.
 */
@Tag("events")
class MultipartUploadEventsTest {

    private static final int MIB = 1024 * 1024;
    private final LocalS3 s3 = LocalS3.shared();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theEventsOfAMultipartUploadTakeAFileFromCreationToItsOriginalWithTheMetadataFixedAtCreation() throws Exception {
        ApiResponse created = invoke(event("api-create-multipart-upload.json"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode upload = created.body().get("upload");
        assertThat(upload.get("method").asText()).isEqualTo("multipart");
        assertThat(upload.get("partSize").asLong()).isEqualTo(8 * MIB);
        assertThat(upload.get("partCount").asInt()).isEqualTo(3);
        String fileId = created.body().get("fileId").asText();
        String uploadId = upload.get("uploadId").asText();

        ApiResponse signed = invoke(forUpload(forFile(event("api-sign-upload-parts.json"), fileId), uploadId));
        assertThat(signed.status()).isEqualTo(200);
        assertThat(signed.header("Cache-Control")).isEqualTo("private, no-store");
        Map<Integer, String> etags = new LinkedHashMap<>();
        for (JsonNode part : signed.body().get("parts")) {
            assertThat(part.get("headers").size()).isZero();
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[part.get("size").asInt()])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            etags.put(part.get("partNumber").asInt(), put.headers().firstValue("ETag").orElseThrow());
        }
        assertThat(signed.body().get("parts")).extracting(part -> part.get("size").asLong())
                .containsExactly(8L * MIB, 8L * MIB, 4L * MIB);

        ApiResponse listed = invoke(forUpload(forFile(event("api-list-upload-parts.json"), fileId), uploadId));
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().get("parts")).extracting(part -> part.get("partNumber").asInt()).containsExactly(1, 2, 3);

        ObjectNode completion = (ObjectNode) ApiEvents.JSON.readTree(event("api-complete-upload.json").get("body").asText());
        ArrayNode parts = completion.putArray("parts");
        etags.forEach((number, etag) -> parts.addObject().put("partNumber", number).put("etag", etag));
        ApiResponse completed = invoke(forUpload(forFile(withBody(event("api-complete-upload.json"), completion.toString()),
                fileId), uploadId));
        assertThat(completed.status()).isEqualTo(200);
        assertThat(completed.body().get("status").asText()).isEqualTo("processing");

        HeadObjectResponse stored = s3.client().headObject(head -> head.bucket(LocalS3.BUCKET)
                .key("originals/" + Owner.of("https://auth.example.com/", "alice").value() + "/" + fileId));
        assertThat(stored.contentLength()).isEqualTo(20 * MIB);
        assertThat(stored.contentType()).isEqualTo("application/pdf");
        assertThat(stored.contentDisposition()).isEqualTo("attachment; filename*=UTF-8''Keynote%202026.pdf");
        assertThat(stored.metadata()).containsEntry("filename", "Keynote%202026.pdf").containsEntry("visibility", "private");
    }

    @Test
    void theExampleEventsNameAnUploadThatDoesNotExistAndAnotherOwnerFindsNone() {
        ApiResponse created = invoke(event("api-create-multipart-upload.json"));
        String fileId = created.body().get("fileId").asText();
        String uploadId = created.body().at("/upload/uploadId").asText();

        for (String example : new String[] {"api-sign-upload-parts.json", "api-list-upload-parts.json",
                "api-complete-upload.json", "api-abort-upload.json"}) {
            assertThat(invoke(event(example)).status()).as(example).isEqualTo(404);
            assertThat(invoke(asSubject(forUpload(forFile(event(example), fileId), uploadId), "mallory")).status())
                    .as(example + " by another owner").isEqualTo(404);
        }
        assertThat(invoke(forUpload(forFile(event("api-abort-upload.json"), fileId), uploadId)).status()).isEqualTo(204);
    }
}
