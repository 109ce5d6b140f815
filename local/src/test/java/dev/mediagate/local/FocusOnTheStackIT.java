package dev.mediagate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediagate.testing.Images;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #26's focal point end to end on the local stack: a 200×150 picture with a magenta band along its right edge, two
 * {@code :cover} variants whose centred crops leave the band out; {@code PATCH {"focus": {"x": 0.9, "y": 0.5}}} goes
 * through the API's manifest write and the resizer's queue, and every cover variant of the new generation keeps the
 * right edge, while the old URLs still serve the old crops.
 */
class FocusOnTheStackIT {

    private static final List<String> COVER_VARIANTS = List.of("square", "tall");

    @TempDir
    Path data;

    @Test
    void aFocusAtTheRightEdgeKeepsItInEveryCoverVariant() throws Exception {
        LocalStack.Options options = new LocalStack.Options(data, 0, 0, 0, Checkout.ROOT.resolve("template.yaml"), Optional.empty(),
                true, Map.of(), Map.of("Variants", "square=64x64:cover,tall=60x120:cover,thumb=320x320"));
        try (LocalStack stack = LocalStack.start(options, Duration.ofMillis(200))) {
            StackClient client = new StackClient(stack);
            String alice = client.token("alice");
            BufferedImage picture = Images.quadrants(200, 150);
            Graphics2D g = picture.createGraphics();
            g.setColor(Color.MAGENTA);
            g.fillRect(188, 0, 12, 150);
            g.dispose();
            String fileId = client.upload(alice, "edge.png", "image/png", Images.png(picture)).get("fileId").asText();
            JsonNode centred = client.waitUntilDone(fileId, alice);
            assertThat(centred.get("status").asText()).isEqualTo("ready");
            for (String variant : COVER_VARIANTS) {
                assertThat(rightEdgeIsMagenta(centred, variant)).as(variant + ", centred").isFalse();
            }

            JsonNode patched = StackClient.json(client.send(client.patch("/files/" + fileId, alice,
                    "{\"focus\": {\"x\": 0.9, \"y\": 0.5}}")), 200);
            assertThat(patched.at("/focus/x").asDouble()).isEqualTo(0.9);

            JsonNode focused = awaitNewGeneration(client, fileId, alice, centred.at("/variants/square/url").asText());
            assertThat(focused.get("focus").isObject()).isTrue();
            for (String variant : COVER_VARIANTS) {
                assertThat(rightEdgeIsMagenta(focused, variant)).as(variant + " around the focus").isTrue();
            }
            assertThat(rightEdgeIsMagenta(centred, "square")).as("the old URL still serves the old crop").isFalse();
        }
    }

    /** The view once its variants moved to a new generation (the resizer's run is asynchronous). */
    private static JsonNode awaitNewGeneration(StackClient client, String fileId, String token, String oldSquareUrl) throws Exception {
        String oldPath = URI.create(oldSquareUrl).getPath();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode view = StackClient.json(client.send(client.get("/files/" + fileId, token)), 200);
            if (!URI.create(view.at("/variants/square/url").asText()).getPath().equals(oldPath)) {
                return view;
            }
            assertThat(System.nanoTime()).as("the resizer made the variants again within a minute").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static boolean rightEdgeIsMagenta(JsonNode view, String variant) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(view.at("/variants/" + variant + "/url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(variant).isEqualTo(200);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
        Color edge = new Color(image.getRGB(image.getWidth() - 1, image.getHeight() / 2));
        return edge.getRed() > 180 && edge.getGreen() < 90 && edge.getBlue() > 180;
    }
}
