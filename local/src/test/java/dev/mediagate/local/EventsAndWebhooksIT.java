package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.mediagate.local.sqs.LocalWebhookQueue;
import dev.mediagate.testing.Images;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the app's backend learns, on the local stack with a real HTTP receiver: every event of a file's life, delivered
 * as a Standard Webhook that the reference library verifies, retried with the same id, dead-lettered when the receiver
 * never answers, and announced even when the process that wrote the state dies right after writing it.
 */
class EventsAndWebhooksIT {

    private static LocalStack stack;
    private static StackClient client;
    private static WebhookReceiver receiver;
    private static Webhook verifier;
    private static String alice;

    @BeforeAll
    static void start() throws Exception {
        stack = RunningStack.get();
        receiver = RunningStack.receiver();
        client = new StackClient(stack);
        alice = client.token("alice");
        verifier = new Webhook(Files.readString(RunningStack.data().resolve("keys/webhook-secret")).trim());
    }

    @Test
    void anImageAndAPdfAreAnnouncedUploadedThenReadyAndEveryDeliveryVerifies() throws Exception {
        String image = client.upload(alice, "IMG_0001.jpg", "image/jpeg", Images.jpeg(Images.quadrants(800, 600))).get("fileId").asText();
        String pdf = client.upload(alice, "terms.pdf", "application/pdf",
                "%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII)).get("fileId").asText();

        for (String fileId : List.of(image, pdf)) {
            List<WebhookReceiver.Delivery> deliveries = awaitDeliveries(fileId, types -> types.contains("file.ready"));
            List<String> types = types(deliveries);
            assertThat(types).as(fileId).containsSubsequence("file.uploaded", "file.ready");
            for (WebhookReceiver.Delivery delivery : deliveries) {
                verifier.verify(new String(delivery.body(), StandardCharsets.UTF_8), delivery.headers());
                assertThat(delivery.header("webhook-id")).isEqualTo(delivery.event().get("id").asText()).startsWith("evt_");
                assertThat(delivery.header("content-type")).isEqualTo("application/json");
                assertThat(new String(delivery.body(), StandardCharsets.UTF_8)).doesNotContain("Signature=", "Key-Pair-Id");
            }
        }
        JsonNode ready = awaitDeliveries(image, types -> types.contains("file.ready")).stream()
                .map(EventsAndWebhooksIT::event).filter(e -> e.get("type").asText().equals("file.ready")).findFirst().orElseThrow();
        assertThat(ready.at("/data/status").asText()).isEqualTo("ready");
        assertThat(ready.at("/data/width").asInt()).isEqualTo(800);
        assertThat(ready.at("/data/variants/thumb/width").asInt()).isEqualTo(320);
        assertThat(ready.at("/data/variants/thumb").has("url")).as("a private file's variants carry no URL").isFalse();
        JsonNode feed = client.json(client.send(client.get("/_local/events", null)));
        assertThat(feed.findValuesAsText("id")).contains(ready.get("id").asText());
    }

    @Test
    void aBodyAlteredByOneByteDoesNotVerify() throws Exception {
        String fileId = client.upload(alice, "a.jpg", "image/jpeg", Images.jpeg(Images.quadrants(64, 48))).get("fileId").asText();
        WebhookReceiver.Delivery delivery = awaitDeliveries(fileId, types -> types.contains("file.uploaded")).get(0);
        byte[] altered = delivery.body().clone();
        int last = altered.length - 2;
        altered[last] = (byte) (altered[last] == '0' ? '1' : '0');

        verifier.verify(new String(delivery.body(), StandardCharsets.UTF_8), delivery.headers());
        assertThatThrownBy(() -> verifier.verify(new String(altered, StandardCharsets.UTF_8), delivery.headers()))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void aBadUploadIsAnnouncedRejectedWithItsReason() throws Exception {
        String fileId = client.upload(alice, "page.jpg", "image/jpeg", "<html></html>".getBytes(StandardCharsets.UTF_8))
                .get("fileId").asText();

        JsonNode rejected = awaitEvent(fileId, "file.rejected");

        assertThat(rejected.at("/data/status").asText()).isEqualTo("rejected");
        assertThat(rejected.at("/data/reason").asText()).isEqualTo("not-an-image");
    }

    @Test
    void visibilityChangesAndDeletionAreAnnounced() throws Exception {
        String fileId = client.upload(alice, "avatar.jpg", "image/jpeg", Images.jpeg(Images.quadrants(400, 400))).get("fileId").asText();
        awaitEvent(fileId, "file.ready");

        client.send(client.patch("/files/" + fileId, alice, "{\"visibility\":\"public\"}"));
        JsonNode published = awaitEvent(fileId, "file.visibility-changed");
        client.send(client.delete("/files/" + fileId, alice));
        JsonNode deleted = awaitEvent(fileId, "file.deleted");

        assertThat(published.at("/data/visibility").asText()).isEqualTo("public");
        assertThat(published.at("/data/variants/thumb/url").asText()).as("public variants' URLs are stable, so events carry them")
                .startsWith(stack.cdnUrl() + "/public/").doesNotContain("?");
        assertThat(deleted.at("/data/status").asText()).isEqualTo("deleted");
    }

    @Test
    void aReceiverAnswering500TwiceThen204GetsTheSameWebhookIdThreeTimes() throws Exception {
        String fileId = client.upload(alice, "b.jpg", "image/jpeg", Images.jpeg(Images.quadrants(64, 48)), "private",
                id -> receiver.script(id, "file.uploaded", 500, 500, 204)).get("fileId").asText();

        List<WebhookReceiver.Delivery> uploaded = awaitDeliveries(fileId, types -> types.stream()
                .filter("file.uploaded"::equals).count() >= 3).stream()
                .filter(delivery -> event(delivery).get("type").asText().equals("file.uploaded")).toList();

        assertThat(uploaded).hasSize(3).extracting(WebhookReceiver.Delivery::answered).containsExactly(500, 500, 204);
        assertThat(uploaded).extracting(delivery -> delivery.header("webhook-id")).containsOnly(uploaded.get(0).header("webhook-id"));
        for (WebhookReceiver.Delivery delivery : uploaded) {
            verifier.verify(new String(delivery.body(), StandardCharsets.UTF_8), delivery.headers());
        }
    }

    @Test
    void aReceiverThatNeverAnswersSendsTheEventToTheDeadLetterDirectoryAfterTheRetries() throws Exception {
        Integer[] silence = Stream.generate(() -> WebhookReceiver.NEVER_ANSWER).limit(LocalWebhookQueue.MAX_RECEIVES).toArray(Integer[]::new);
        String fileId = client.upload(alice, "c.jpg", "image/jpeg", Images.jpeg(Images.quadrants(64, 48)), "private",
                id -> receiver.script(id, "file.uploaded", silence)).get("fileId").asText();
        Path deadLetters = RunningStack.data().resolve("webhook-dlq");

        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String deadLettered = null;
        while (deadLettered == null && System.nanoTime() < deadline) {
            Thread.sleep(500);
            if (Files.isDirectory(deadLetters)) {
                try (Stream<Path> files = Files.list(deadLetters)) {
                    deadLettered = files.map(EventsAndWebhooksIT::read).filter(body -> body.contains(fileId)).findFirst().orElse(null);
                }
            }
        }

        assertThat(deadLettered).as("the dead-lettered event").isNotNull().contains("\"type\":\"file.uploaded\"");
        assertThat(receiver.deliveriesFor(fileId).stream().filter(d -> event(d).get("type").asText().equals("file.uploaded")))
                .hasSize(LocalWebhookQueue.MAX_RECEIVES);
    }

    @Test
    void aManifestWrittenByAProcessThatDiesRightAfterwardsIsStillAnnouncedReady() throws Exception {
        CrashAfterManifestWrite.arm();
        try {
            String fileId = client.upload(alice, "d.jpg", "image/jpeg", Images.jpeg(Images.quadrants(64, 48))).get("fileId").asText();

            JsonNode ready = awaitEvent(fileId, "file.ready");

            assertThat(CrashAfterManifestWrite.crashes()).as("the resizer died right after writing the manifest").isPositive();
            assertThat(ready.at("/data/status").asText()).isEqualTo("ready");
        } finally {
            CrashAfterManifestWrite.disarm();
        }
    }

    @Test
    void whenTheResizersRetriesRunOutTheFailureIsAnnouncedWithItsReason() throws Exception {
        CrashAfterManifestWrite.failManifestWrites(true);
        try {
            String fileId = client.upload(alice, "e.jpg", "image/jpeg", Images.jpeg(Images.quadrants(64, 48))).get("fileId").asText();

            JsonNode failed = awaitEvent(fileId, "file.failed");

            assertThat(failed.at("/data/status").asText()).isEqualTo("failed");
            assertThat(failed.at("/data/reason").asText()).isEqualTo("storage-unavailable");
            assertThat(failed.at("/data/filename").asText()).isEqualTo("e.jpg");
        } finally {
            CrashAfterManifestWrite.failManifestWrites(false);
        }
    }

    private static JsonNode awaitEvent(String fileId, String type) throws Exception {
        return awaitDeliveries(fileId, types -> types.contains(type)).stream().map(EventsAndWebhooksIT::event)
                .filter(event -> event.get("type").asText().equals(type)).findFirst().orElseThrow();
    }

    private static List<WebhookReceiver.Delivery> awaitDeliveries(String fileId, Predicate<List<String>> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<WebhookReceiver.Delivery> deliveries = receiver.deliveriesFor(fileId);
            if (done.test(types(deliveries))) {
                return deliveries;
            }
            assertThat(System.nanoTime()).as("deliveries for " + fileId + " so far: " + types(deliveries)).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static List<String> types(List<WebhookReceiver.Delivery> deliveries) {
        return deliveries.stream().map(delivery -> event(delivery).get("type").asText()).toList();
    }

    private static JsonNode event(WebhookReceiver.Delivery delivery) {
        try {
            return delivery.event();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
