package dev.mediagate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.deploy.IamPolicy.Decision;
import dev.mediagate.deploy.IamPolicy.Request;
import dev.mediagate.deploy.S3CallRecorder.Call;
import dev.mediagate.local.LocalStack;
import dev.mediagate.local.RunningStack;
import dev.mediagate.local.StackClient;
import dev.mediagate.local.sam.SamTemplate;
import dev.mediagate.testing.Images;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The S3 calls the functions really make, recorded while files go through their whole lives on the local stack (upload,
 * publish and unpublish, a public upload, share links, a backend's links and delete), each evaluated against that
 * function's role and the bucket policy of template.yaml: every call is allowed, and every S3 action and resource a
 * role grants is used.
 */
class LeastPrivilegeIT {

    @Test
    void everyS3CallOfAFilesLifeIsAllowedAndEveryGrantedS3ActionAndResourceIsUsed() throws Exception {
        LocalStack stack = RunningStack.get();
        StackClient client = new StackClient(stack);
        SamTemplate template = SamTemplate.load(TemplateTest.ROOT.resolve("template.yaml"));
        String bucketArn = "arn:aws:s3:::" + stack.bucket();
        S3CallRecorder.clear();

        String alice = client.token("alice");
        JsonNode photo = client.upload(alice, "IMG_0001.jpg", "image/jpeg", Images.jpeg(Images.quadrants(800, 600)));
        presignedPut(photo);
        String fileId = photo.get("fileId").asText();
        assertThat(client.waitUntilDone(fileId, alice).get("status").asText()).isEqualTo("ready");
        JsonNode page = client.upload(alice, "page.jpg", "image/jpeg", "<html></html>".getBytes(StandardCharsets.UTF_8));
        presignedPut(page);
        assertThat(client.waitUntilDone(page.get("fileId").asText(), alice).get("status").asText()).isEqualTo("rejected");
        assertThat(client.send(client.post("/cdn-cookies", alice, "")).statusCode()).isEqualTo(204);
        assertThat(client.send(client.patch("/files/" + fileId, alice, "{\"visibility\":\"public\"}")).statusCode()).isEqualTo(200);
        assertThat(client.send(client.patch("/files/" + fileId, alice, "{\"visibility\":\"private\"}")).statusCode()).isEqualTo(200);
        JsonNode avatar = client.upload(alice, "avatar.jpg", "image/jpeg", Images.jpeg(Images.quadrants(400, 400)), "public");
        presignedPut(avatar);
        assertThat(client.waitUntilDone(avatar.get("fileId").asText(), alice).get("visibility").asText()).isEqualTo("public");
        String share = client.json(client.send(client.post("/files/" + fileId + "/shares", alice, "{}"))).get("url").asText();
        assertThat(client.send(client.get("/files/" + fileId + "/shares", alice)).statusCode()).isEqualTo(200);
        assertThat(client.send(client.get(java.net.URI.create(share).getPath(), null)).statusCode()).isEqualTo(200);
        String owner = client.json(client.send(client.get("/me", alice))).get("owner").asText();
        String backend = client.token("backend", "mediagate/service");
        assertThat(client.send(client.post("/links", backend, "{\"files\":[{\"owner\":\"" + owner + "\",\"fileId\":\""
                + fileId + "\"}]}")).statusCode()).isEqualTo(200);
        assertThat(client.send(client.delete("/owners/" + owner + "/files/" + avatar.get("fileId").asText(), backend)).statusCode())
                .isEqualTo(204);
        assertThat(client.send(client.delete("/files/" + fileId, alice)).statusCode()).isEqualTo(204);
        assertThat(client.send(client.get("/files/" + fileId, alice)).statusCode()).isEqualTo(404);
        multipartUpload(client, alice, true);
        multipartUpload(client, alice, false);

        RunningStack.awaitQuiet();
        List<Call> calls = S3CallRecorder.calls();
        assertThat(calls).extracting(Call::function).contains("MediaApiFunction", "ImageResizerFunction", "EventPublisherFunction");
        Map<String, Set<String>> used = new HashMap<>();
        List<Request> allowedRequests = new ArrayList<>();
        for (Call call : calls) {
            for (Request request : requests(call, bucketArn)) {
                Decision decision = IamPolicy.evaluate(IamPolicy.functionPolicy(template, call.function()),
                        IamPolicy.bucketPolicy(template, bucketArn), request);
                assertThat(decision).as("%s → %s", call, request).isEqualTo(Decision.ALLOW);
                allowedRequests.add(request);
                used.computeIfAbsent(call.function(), f -> new TreeSet<>()).add(request.action());
            }
        }
        // The resizer deletes only when a variant write fails part-way (ImageResizerHandlerTest injects those faults).
        used.get("ImageResizerFunction").add("s3:DeleteObject");
        // The resizer writes a rejected original's tag set after reading it; the local S3 answers the read 501 (it keeps
        // no tags), so the write is not reached here (S3MediaBucketTaggingTest makes both calls against a stub).
        used.get("ImageResizerFunction").add("s3:PutObjectTagging");
        // The publisher meets a missing manifest (a 404, so an existence check) only when a file is gone before its
        // notification is handled, or on a resizer failure (EventPublisherHandlerTest replays that record).
        used.get("EventPublisherFunction").add("s3:ListBucket");
        for (String function : List.of("MediaApiFunction", "ImageResizerFunction", "EventPublisherFunction")) {
            assertThat(used.get(function)).as(function + ": S3 actions granted but never used")
                    .containsAll(grantedS3Actions(template, function));
        }
        List<String> unusedGrants = new ArrayList<>();
        for (Map<String, Object> statement : IamPolicy.functionPolicy(template, "MediaApiFunction")) {
            for (Object action : SamTemplate.list(statement.get("Action"))) {
                for (Object resource : SamTemplate.list(statement.get("Resource"))) {
                    boolean exercised = String.valueOf(action).startsWith("s3:") ? allowedRequests.stream().anyMatch(request ->
                            request.action().equals(action) && IamPolicy.matches(String.valueOf(resource), request.resource()))
                            : true;
                    if (!exercised) {
                        unusedGrants.add(action + " on " + resource);
                    }
                }
            }
        }
        assertThat(unusedGrants).as("MediaApiFunction: S3 grants no call of a file's life needs").isEmpty();
    }

    /** A document in one part, completed or aborted; the part's PUT carries the API role's identity. */
    private static void multipartUpload(StackClient client, String token, boolean complete) throws Exception {
        byte[] pdf = "%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        JsonNode created = StackClient.json(client.send(client.post("/uploads", token, "{\"filename\":\"a.pdf\","
                + "\"contentType\":\"application/pdf\",\"size\":" + pdf.length + ",\"multipart\":true}")), 201);
        String path = "/uploads/" + created.get("fileId").asText();
        String uploadId = created.at("/upload/uploadId").asText();
        String url = StackClient.json(client.send(client.post(path + "/parts", token, "{\"uploadId\":\"" + uploadId
                + "\",\"partNumbers\":[1]}")), 200).at("/parts/0/url").asText();
        java.net.http.HttpResponse<String> put = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(pdf)).build());
        assertThat(put.statusCode()).isEqualTo(200);
        String key = java.net.URI.create(url).getPath().substring(java.net.URI.create(url).getPath().indexOf("/originals/") + 1);
        S3CallRecorder.record(new Call("MediaApiFunction", "UploadPart (presigned)", null, List.of(key), null, null, false));
        assertThat(client.send(client.get(path + "/parts?uploadId=" + uploadId, token)).statusCode()).isEqualTo(200);
        if (complete) {
            assertThat(client.send(client.post(path + "/complete", token, "{\"uploadId\":\"" + uploadId + "\",\"parts\":"
                    + "[{\"partNumber\":1,\"etag\":" + StackClient.JSON.writeValueAsString(put.headers().firstValue("ETag")
                    .orElseThrow()) + "}]}")).statusCode()).isEqualTo(200);
            assertThat(client.waitUntilDone(created.get("fileId").asText(), token).get("status").asText()).isEqualTo("ready");
        } else {
            assertThat(client.send(client.delete(path + "?uploadId=" + uploadId, token)).statusCode()).isEqualTo(204);
        }
    }

    /** The upload the browser makes with the presigned URL carries the API role's identity. */
    private static void presignedPut(JsonNode upload) {
        String url = upload.at("/upload/url").asText();
        String path = java.net.URI.create(url).getPath();
        String key = path.substring(path.indexOf("/originals/") + 1);
        S3CallRecorder.record(new Call("MediaApiFunction", "PutObject (presigned)", null, List.of(key), null, null,
                upload.at("/upload/headers/If-None-Match").isTextual()));
    }

    /** The IAM requests S3 authorises for one call (a copy is a read of the source and a write of the target). */
    private static List<Request> requests(Call call, String bucketArn) {
        Map<String, String> tls = Map.of("aws:SecureTransport", "true");
        List<Request> requests = new ArrayList<>();
        String role = "${" + call.function() + "Role.Arn}";
        switch (call.operation()) {
            case "HeadObject", "GetObject" -> call.keys().forEach(key -> requests.add(new Request(role, "s3:GetObject", bucketArn + "/" + key, tls)));
            case "PutObject", "PutObject (presigned)", "CopyObject" -> {
                Map<String, String> context = new HashMap<>(tls);
                context.put("s3:ObjectCreationOperation", "true");
                if (call.ifNoneMatch()) {
                    context.put("s3:if-none-match", "*");
                }
                if (call.copySource() != null) {
                    context.put("s3:x-amz-copy-source", call.copySource());
                }
                call.keys().forEach(key -> requests.add(new Request(role, "s3:PutObject", bucketArn + "/" + key, context)));
                if (call.copySource() != null) {
                    requests.add(new Request(role, "s3:GetObject", "arn:aws:s3:::" + call.copySource(), tls));
                }
            }
            // Creating an upload and sending a part take no conditional header: S3 does not count them as object creations.
            case "CreateMultipartUpload", "UploadPart (presigned)" -> call.keys().forEach(key -> requests.add(new Request(role,
                    "s3:PutObject", bucketArn + "/" + key, Map.of("aws:SecureTransport", "true", "s3:ObjectCreationOperation", "false"))));
            case "CompleteMultipartUpload" -> {
                Map<String, String> context = new HashMap<>(tls);
                context.put("s3:ObjectCreationOperation", "true");
                if (call.ifNoneMatch()) {
                    context.put("s3:if-none-match", "*");
                }
                call.keys().forEach(key -> requests.add(new Request(role, "s3:PutObject", bucketArn + "/" + key, context)));
            }
            case "ListParts" -> call.keys().forEach(key -> requests.add(new Request(role, "s3:ListMultipartUploadParts", bucketArn + "/" + key, tls)));
            case "AbortMultipartUpload" -> call.keys().forEach(key -> requests.add(new Request(role, "s3:AbortMultipartUpload", bucketArn + "/" + key, tls)));
            case "DeleteObject", "DeleteObjects" -> call.keys().forEach(key -> requests.add(new Request(role, "s3:DeleteObject", bucketArn + "/" + key, tls)));
            case "PutObjectTagging" -> call.keys().forEach(key -> requests.add(new Request(role, "s3:PutObjectTagging", bucketArn + "/" + key, tls)));
            case "GetObjectTagging" -> call.keys().forEach(key -> requests.add(new Request(role, "s3:GetObjectTagging", bucketArn + "/" + key, tls)));
            case "ListBucket (existence check)" -> requests.add(new Request(role, "s3:ListBucket", bucketArn, tls));
            case "ListObjectsV2" -> {
                Map<String, String> context = new HashMap<>(tls);
                context.put("s3:prefix", call.prefix() == null ? "" : call.prefix());
                requests.add(new Request(role, "s3:ListBucket", bucketArn, context));
            }
            default -> throw new AssertionError(call.operation() + " is not mapped to its IAM action yet: add it here");
        }
        return requests;
    }

    private static Set<String> grantedS3Actions(SamTemplate template, String function) {
        Set<String> actions = new TreeSet<>();
        IamPolicy.functionPolicy(template, function).forEach(statement -> SamTemplate.list(statement.get("Action")).stream()
                .map(String::valueOf).filter(action -> action.startsWith("s3:")).forEach(actions::add));
        return actions;
    }
}
