package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediagate.testing.Documents;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * Resumable multipart uploads over HTTP on the local stack, as a browser makes them: the API signs, S3Proxy (SigV4
 * checked) takes the parts, the API completes only what S3 itself holds.
 */
class MultipartUploadOverHttpIT {

    private static final int MIB = 1024 * 1024;
    private static LocalStack stack;
    private StackClient client;
    private String alice;
    private String owner;

    @BeforeAll
    static void start() throws Exception {
        stack = RunningStack.get();
    }

    @BeforeEach
    void signIn() throws Exception {
        client = new StackClient(stack);
        alice = client.token("multipart-alice");
        owner = client.json(client.send(client.get("/me", alice))).get("owner").asText();
    }

    @Test
    void a64MiBFileGoesUpIn8MiBPartsAndTheStoredOriginalHasItsSha256() throws Exception {
        byte[] pdf = Documents.pdf(64 * MIB);

        JsonNode created = create(pdf.length, false);
        assertThat(created.at("/upload/method").asText()).isEqualTo("multipart");
        assertThat(created.at("/upload/partSize").asLong()).isEqualTo(8 * MIB);
        assertThat(created.at("/upload/partCount").asInt()).isEqualTo(8);
        Map<Integer, String> etags = sendParts(created, pdf, IntStream.rangeClosed(1, 8).boxed().toList());
        JsonNode done = StackClient.json(complete(created, etags), 200);

        assertThat(done.get("status").asText()).isEqualTo("processing");
        String fileId = created.get("fileId").asText();
        JsonNode file = client.waitUntilDone(fileId, alice);
        assertThat(file.get("status").asText()).isEqualTo("ready");
        assertThat(file.get("size").asLong()).isEqualTo(pdf.length);
        byte[] stored = stack.s3Client().getObjectAsBytes(get -> get.bucket(stack.bucket())
                .key(originalKey(fileId))).asByteArray();
        assertThat(Documents.sha256Hex(stored)).isEqualTo(Documents.sha256Hex(pdf));
    }

    @Test
    void smallUploadsStayASinglePutUnlessTheClientAsksForParts() throws Exception {
        JsonNode single = StackClient.json(client.send(client.post("/uploads", alice,
                "{\"filename\":\"a.pdf\",\"contentType\":\"application/pdf\",\"size\":1000}")), 201);
        JsonNode parts = create(1000, true);

        assertThat(single.at("/upload/method").asText()).isEqualTo("PUT");
        assertThat(parts.at("/upload/method").asText()).isEqualTo("multipart");
        assertThat(parts.at("/upload/partCount").asInt()).isEqualTo(1);
    }

    @Test
    void s3RefusesAPartOfOneByteMoreOrLessThanItsUrlSigns() throws Exception {
        byte[] pdf = Documents.pdf(17 * MIB);
        JsonNode created = create(pdf.length, true);
        JsonNode part = signParts(created, List.of(1)).at("/parts/0");
        assertThat(part.get("size").asLong()).isEqualTo(8 * MIB);

        assertThat(refused(part.get("url").asText(), Arrays.copyOf(pdf, 8 * MIB + 1))).isTrue();
        assertThat(refused(part.get("url").asText(), Arrays.copyOf(pdf, 8 * MIB - 1))).isTrue();
        assertThat(storedParts(created)).isEmpty();
        assertThat(putPart(part.get("url").asText(), Arrays.copyOf(pdf, 8 * MIB)).statusCode()).isEqualTo(200);
        assertThat(storedParts(created)).containsExactly(1);
    }

    @Test
    void s3RefusesAPartUrlUsedForAnotherPartNumber() throws Exception {
        byte[] pdf = Documents.pdf(33 * MIB);
        JsonNode created = create(pdf.length, true);
        String third = signParts(created, List.of(3)).at("/parts/0/url").asText();
        assertThat(third).contains("partNumber=3");

        boolean refused = refused(third.replace("partNumber=3", "partNumber=4"), slice(pdf, 3 * 8 * MIB, 8 * MIB));

        assertThat(refused).isTrue();
        assertThat(storedParts(created)).isEmpty();
    }

    @Test
    void completionWithAMissingPartAWrongEtagOrAWrongTotalIs400AndTheUploadStaysResumable() throws Exception {
        byte[] pdf = Documents.pdf(17 * MIB);
        JsonNode created = create(pdf.length, true);
        Map<Integer, String> etags = sendParts(created, pdf, List.of(1, 2));

        JsonNode missing = problem(complete(created, Map.of(1, etags.get(1), 2, etags.get(2))), 400);
        assertThat(errors(missing)).containsExactly("part 3 is missing from the list");
        etags.putAll(sendParts(created, pdf, List.of(3)));
        Map<Integer, String> wrongEtag = new LinkedHashMap<>(etags);
        wrongEtag.put(2, "\"0123456789abcdef0123456789abcdef\"");
        JsonNode mismatch = problem(complete(created, wrongEtag), 400);
        assertThat(errors(mismatch)).containsExactly("part 2: the ETag does not match the part S3 holds");
        // A part of another length can only come from outside mediagate's URLs: written here with the stack's own keys.
        String shortEtag = stack.s3Client().uploadPart(part -> part.bucket(stack.bucket()).key(originalKey(created))
                .uploadId(created.at("/upload/uploadId").asText()).partNumber(3), RequestBody.fromBytes(new byte[10])).eTag();
        Map<Integer, String> shortTotal = new LinkedHashMap<>(etags);
        shortTotal.put(3, shortEtag);
        JsonNode total = problem(complete(created, shortTotal), 400);
        assertThat(errors(total)).contains("the parts add up to " + (16 * MIB + 10) + " bytes, not the " + pdf.length
                + " bytes declared");

        etags.putAll(sendParts(created, pdf, List.of(3)));
        assertThat(complete(created, etags).statusCode()).isEqualTo(200);
        assertThat(client.waitUntilDone(created.get("fileId").asText(), alice).get("status").asText()).isEqualTo("ready");
        assertThat(complete(created, etags).statusCode()).as("a repeated completion answers as the first").isEqualTo(200);
    }

    @Test
    void anAbortedUploadLosesItsPartsAndIsNotFoundAfterwards() throws Exception {
        byte[] pdf = Documents.pdf(17 * MIB);
        JsonNode created = create(pdf.length, true);
        Map<Integer, String> etags = sendParts(created, pdf, List.of(1));

        assertThat(client.send(client.delete(uploadPath(created) + "?uploadId=" + uploadId(created), alice)).statusCode())
                .isEqualTo(204);

        assertThat(partsS3Holds(created)).as("S3 dropped the parts").isEmpty();
        assertThat(client.send(client.get(uploadPath(created) + "/parts?uploadId=" + uploadId(created), alice)).statusCode())
                .isEqualTo(404);
        assertThat(client.send(client.post(uploadPath(created) + "/parts", alice, partsBody(created, List.of(2)))).statusCode())
                .isEqualTo(404);
        assertThat(complete(created, etags).statusCode()).isEqualTo(404);
        assertThat(client.send(client.delete(uploadPath(created) + "?uploadId=" + uploadId(created), alice)).statusCode())
                .isEqualTo(404);
    }

    @Test
    void anotherUserOrAnUnknownUploadIdIsNotFoundAndABackendWithTheScopeCanContinue() throws Exception {
        byte[] pdf = Documents.pdf(9 * MIB);
        JsonNode created = create(pdf.length, true);
        String bob = client.token("multipart-bob");
        String unknown = created.deepCopy().toString().replace(uploadId(created), "2~not-an-upload-of-this-file");
        JsonNode unknownUpload = StackClient.JSON.readTree(unknown);

        assertThat(client.send(client.post(uploadPath(created) + "/parts", bob, partsBody(created, List.of(1)))).statusCode())
                .isEqualTo(404);
        assertThat(client.send(client.get(uploadPath(created) + "/parts?uploadId=" + uploadId(created), bob)).statusCode())
                .isEqualTo(404);
        assertThat(client.send(client.delete(uploadPath(created) + "?uploadId=" + uploadId(created), bob)).statusCode())
                .isEqualTo(404);
        HttpResponse<String> unknownParts = client.send(client.post(uploadPath(created) + "/parts", alice,
                partsBody(unknownUpload, List.of(1))));
        assertThat(unknownParts.statusCode()).isEqualTo(404);
        assertThat(unknownParts.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        String backend = client.token("multipart-backend", "mediagate/service");
        HttpResponse<String> asService = client.send(client.post("/owners/" + owner + uploadPath(created) + "/parts", backend,
                partsBody(created, List.of(2))));
        assertThat(asService.statusCode()).as(asService.body()).isEqualTo(200);
        assertThat(client.send(client.post("/owners/" + owner + uploadPath(created) + "/parts", alice,
                partsBody(created, List.of(2)))).statusCode()).as("the service routes need the scope").isEqualTo(403);
    }

    @Test
    void anUploadInterruptedHalfwayResumesFromWhatS3HoldsAndSendsOnlyTheRest() throws Exception {
        byte[] pdf = Documents.pdf(40 * MIB);
        JsonNode created = create(pdf.length, true);
        sendParts(created, pdf, List.of(1, 3));

        JsonNode held = StackClient.json(client.send(client.get(uploadPath(created) + "/parts?uploadId=" + uploadId(created),
                alice)), 200);
        List<Integer> heldNumbers = new ArrayList<>();
        Map<Integer, String> etags = new LinkedHashMap<>();
        held.get("parts").forEach(part -> {
            heldNumbers.add(part.get("partNumber").asInt());
            etags.put(part.get("partNumber").asInt(), part.get("etag").asText());
            assertThat(part.get("size").asLong()).isEqualTo(8 * MIB);
        });
        assertThat(heldNumbers).containsExactly(1, 3);
        List<Integer> rest = IntStream.rangeClosed(1, created.at("/upload/partCount").asInt()).boxed()
                .filter(n -> !heldNumbers.contains(n)).toList();
        etags.putAll(sendParts(created, pdf, rest));

        assertThat(rest).containsExactly(2, 4, 5);
        assertThat(complete(created, etags).statusCode()).isEqualTo(200);
        byte[] stored = stack.s3Client().getObjectAsBytes(get -> get.bucket(stack.bucket())
                .key(originalKey(created))).asByteArray();
        assertThat(Documents.sha256Hex(stored)).isEqualTo(Documents.sha256Hex(pdf));
    }

    @Test
    void badRequestsNameTheField() throws Exception {
        JsonNode created = create(9 * MIB, true);

        JsonNode beyond = problem(client.send(client.post(uploadPath(created) + "/parts", alice, partsBody(created, List.of(3)))), 400);
        JsonNode noNumbers = problem(client.send(client.post(uploadPath(created) + "/parts", alice,
                "{\"uploadId\":\"" + uploadId(created) + "\",\"partNumbers\":[]}")), 400);
        JsonNode noUploadId = problem(client.send(client.get(uploadPath(created) + "/parts", alice)), 400);
        JsonNode checksum = problem(client.send(client.post("/uploads", alice, "{\"filename\":\"a.pdf\",\"contentType\":"
                + "\"application/pdf\",\"size\":10,\"multipart\":true,\"checksumSha256\":\"" + "A".repeat(43) + "=\"}")), 400);

        assertThat(errors(beyond)).containsExactly("part 3 is beyond this upload's 2 parts");
        assertThat(beyond.at("/errors/0/field").asText()).isEqualTo("partNumbers");
        assertThat(noNumbers.at("/errors/0/field").asText()).isEqualTo("partNumbers");
        assertThat(noUploadId.at("/errors/0/field").asText()).isEqualTo("uploadId");
        assertThat(checksum.at("/errors/0/field").asText()).isEqualTo("checksumSha256");
    }

    private JsonNode create(long size, boolean multipart) throws Exception {
        return StackClient.json(client.send(client.post("/uploads", alice, "{\"filename\":\"big.pdf\",\"contentType\":"
                + "\"application/pdf\",\"size\":" + size + (multipart ? ",\"multipart\":true" : "") + "}")), 201);
    }

    private JsonNode signParts(JsonNode created, List<Integer> partNumbers) throws Exception {
        return StackClient.json(client.send(client.post(uploadPath(created) + "/parts", alice, partsBody(created, partNumbers))), 200);
    }

    /** Signs and PUTs these parts as a browser does; returns each part's ETag. */
    private Map<Integer, String> sendParts(JsonNode created, byte[] file, List<Integer> partNumbers) throws Exception {
        long partSize = created.at("/upload/partSize").asLong();
        Map<Integer, String> etags = new LinkedHashMap<>();
        for (JsonNode part : signParts(created, partNumbers).get("parts")) {
            int number = part.get("partNumber").asInt();
            int offset = Math.toIntExact((number - 1) * partSize);
            HttpResponse<String> put = putPart(part.get("url").asText(), slice(file, offset, part.get("size").asInt()));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            etags.put(number, put.headers().firstValue("ETag").orElseThrow());
        }
        return etags;
    }

    private HttpResponse<String> putPart(String url, byte[] bytes) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    /**
     * Whether S3 refuses this PUT: an error status, or the connection closed while the body was still going (S3 checks
     * the signature first and may hang up on the rest of a large body).
     */
    private boolean refused(String url, byte[] bytes) throws Exception {
        try {
            HttpResponse<String> response = putPart(url, bytes);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
            return true;
        } catch (java.io.IOException closedWhileSending) {
            return true;
        }
    }

    private HttpResponse<String> complete(JsonNode created, Map<Integer, String> etags) throws Exception {
        ObjectNode body = StackClient.JSON.createObjectNode().put("uploadId", uploadId(created));
        ArrayNode parts = body.putArray("parts");
        etags.forEach((number, etag) -> parts.addObject().put("partNumber", number).put("etag", etag));
        return client.send(client.post(uploadPath(created) + "/complete", alice, body.toString()));
    }

    /** What S3 itself answers: AWS says the upload is gone, S3Proxy lists no parts. */
    private List<Integer> partsS3Holds(JsonNode created) {
        try {
            return stack.s3Client().listParts(list -> list.bucket(stack.bucket()).key(originalKey(created))
                    .uploadId(uploadId(created))).parts().stream().map(part -> part.partNumber()).toList();
        } catch (NoSuchUploadException e) {
            return List.of();
        }
    }

    private List<Integer> storedParts(JsonNode created) throws Exception {
        List<Integer> numbers = new ArrayList<>();
        StackClient.json(client.send(client.get(uploadPath(created) + "/parts?uploadId=" + uploadId(created), alice)), 200)
                .get("parts").forEach(part -> numbers.add(part.get("partNumber").asInt()));
        return numbers;
    }

    private static JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        return StackClient.json(response, status);
    }

    private static List<String> errors(JsonNode problem) {
        List<String> messages = new ArrayList<>();
        problem.get("errors").forEach(error -> messages.add(error.get("message").asText()));
        return messages;
    }

    private static String partsBody(JsonNode created, List<Integer> partNumbers) {
        return "{\"uploadId\":\"" + uploadId(created) + "\",\"partNumbers\":" + partNumbers + "}";
    }

    private static String uploadPath(JsonNode created) {
        return "/uploads/" + created.get("fileId").asText();
    }

    private static String uploadId(JsonNode created) {
        return created.at("/upload/uploadId").asText();
    }

    private String originalKey(JsonNode created) {
        return originalKey(created.get("fileId").asText());
    }

    private String originalKey(String fileId) {
        return "originals/" + owner + "/" + fileId;
    }

    private static byte[] slice(byte[] bytes, int offset, int length) {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }
}
