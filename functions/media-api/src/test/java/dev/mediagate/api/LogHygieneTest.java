package dev.mediagate.api;

import static dev.mediagate.api.ApiEvents.event;
import static dev.mediagate.api.ApiEvents.invoke;
import static dev.mediagate.api.ApiEvents.withBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.core.files.Manifest;
import dev.mediagate.testing.CdnKeys;
import dev.mediagate.testing.LocalS3;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** Every log line the handler writes while serving all routes, scanned for secrets, tokens and signed URLs. */
@Tag("events")
class LogHygieneTest {

    @Test
    void noLogLineCarriesASignedUrlATokenOrTheSigningKey() throws Exception {
        ApiEvents.handler();
        List<String> secrets = new ArrayList<>(List.of("X-Amz-Signature", "X-Amz-Credential", "Signature=", "Policy=",
                "CloudFront-Signature", "BEGIN PRIVATE KEY", LocalS3.SECRET_KEY));
        secrets.add(event("api-create-upload.json").at("/headers/authorization").asText().substring("Bearer ".length()));
        secrets.add(Base64.getEncoder().encodeToString(CdnKeys.pair().getPrivate().getEncoded()).substring(40, 100));
        String owner = "ksbadydqkpcosn4zkgtwasmyjuchops2";
        String fileId = "0b0e1c7e-3f1a-4d2b-9c8d-7e6f5a4b3c2d";
        var s3 = LocalS3.shared().client();
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key("originals/" + owner + "/" + fileId).contentType("image/jpeg"),
                RequestBody.fromBytes(new byte[10]));
        Manifest manifest = new Manifest(1, fileId, Manifest.READY, null, "private",
                new Manifest.Source("originals/" + owner + "/" + fileId, "e", "a.jpg", "image/jpeg", 10, 4, 3, null, null),
                Map.of("thumb", new Manifest.VariantEntry("variants/" + owner + "/" + fileId + "/thumb.jpg", 4, 3, "image/jpeg", 5)),
                "data:image/jpeg;base64,AA", "2026-11-21T10:00:00Z", null, null);
        s3.putObject(p -> p.bucket(LocalS3.BUCKET).key("variants/" + owner + "/" + fileId + "/manifest.json"),
                RequestBody.fromBytes(manifest.toJson()));

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        List<JsonNode> responses = new ArrayList<>();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            responses.add(invoke(event("api-create-upload.json")).raw());
            responses.add(invoke(withBody(event("api-create-upload.json"), "{\"filename\":\"../x\",\"size\":-1}")).raw());
            responses.add(invoke(event("api-create-upload-no-token.json")).raw());
            responses.add(invoke(event("api-get-file.json")).raw());
            responses.add(invoke(event("api-cdn-cookies.json")).raw());
            responses.add(invoke(event("api-delete-file.json")).raw());
        } finally {
            System.setOut(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);

        assertThat(responses.toString()).contains("X-Amz-Signature").contains("Signature=");
        assertThat(logs).contains("POST /uploads 201").contains("GET /files/" + fileId + " 200").contains("POST /cdn-cookies 204");
        Files.writeString(java.nio.file.Path.of("target/handler-logs.txt"), logs);
        for (String secret : secrets) {
            assertThat(logs).as("logs must not contain %s", secret.length() > 20 ? secret.substring(0, 20) + "…" : secret)
                    .doesNotContain(secret);
        }
    }
}
