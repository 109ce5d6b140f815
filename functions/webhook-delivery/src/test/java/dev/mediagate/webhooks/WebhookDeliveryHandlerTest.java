package dev.mediagate.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpServer;
import dev.mediagate.core.config.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;

/**
 * {@code events/sqs-webhook-delivery.json} through the real handler to a real HTTP receiver, every delivery checked with
 * the Standard Webhooks reference library for Java.
 */
@Tag("events")
class WebhookDeliveryHandlerTest {

    private final String secret = "whsec_" + Base64.getEncoder().encodeToString(randomBytes(32));
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<ChangeMessageVisibilityRequest> postponed = new ArrayList<>();
    private HttpServer receiver;
    private volatile int answer = 204;

    record Received(Map<String, List<String>> headers, byte[] body) {
    }

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), in.readAllBytes()));
            }
            if (answer == 302) {
                exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/elsewhere");
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void theEventIsPostedAsTheReferenceLibraryVerifiesItAndABodyAlteredByOneByteDoesNot() throws Exception {
        SQSEvent event = fixture();

        SQSBatchResponse response = handler().handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(received).hasSize(1);
        Received delivery = received.get(0);
        String body = new String(delivery.body(), StandardCharsets.UTF_8);
        assertThat(body).as("the body sent is the event, byte for byte").isEqualTo(event.getRecords().get(0).getBody());
        assertThat(header(delivery, "webhook-id")).isEqualTo("evt_5b0d2f3e8c1a4b7d9e6f0a1b2c3d4e5f");
        assertThat(header(delivery, "webhook-signature")).startsWith("v1,");
        assertThat(header(delivery, "content-type")).isEqualTo("application/json");
        new Webhook(secret).verify(body, delivery.headers());
        String altered = body.replaceFirst("\"size\":48213", "\"size\":48214");
        assertThatThrownBy(() -> new Webhook(secret).verify(altered, delivery.headers())).isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook("whsec_" + Base64.getEncoder().encodeToString(randomBytes(32))).verify(body, delivery.headers()))
                .as("another secret").isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void aRefusedDeliveryIsABatchItemFailureWhoseNextAttemptIsPostponed() throws Exception {
        answer = 500;
        SQSEvent event = fixture();

        SQSBatchResponse response = handler().handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(event.getRecords().get(0).getMessageId());
        assertThat(postponed).singleElement().satisfies(request -> {
            assertThat(request.receiptHandle()).isEqualTo(event.getRecords().get(0).getReceiptHandle());
            assertThat(request.visibilityTimeout()).isBetween(15, 30);
        });
    }

    @Test
    void aRedirectIsNotFollowedAndCountsAsNotDelivered() throws Exception {
        answer = 302;

        SQSBatchResponse response = handler().handleRequest(fixture(), null);

        assertThat(received).hasSize(1);
        assertThat(response.getBatchItemFailures()).hasSize(1);
    }

    @Test
    void retriesBackOffExponentiallyWithJitterForMoreThanADayBeforeTheDeadLetterQueue() {
        Random shortest = new Random() {
            @Override
            public long nextLong(long bound) {
                return 0;
            }
        };
        long total = 0;
        for (int receive = 1; receive < RetrySchedule.MAX_RECEIVES; receive++) {
            total += RetrySchedule.delayAfter(receive, shortest).toSeconds();
        }
        assertThat(Duration.ofSeconds(total)).isGreaterThan(Duration.ofHours(24));
        assertThat(RetrySchedule.delayAfter(1, new Random(1))).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        assertThat(RetrySchedule.delayAfter(12, new Random(1))).isLessThanOrEqualTo(RetrySchedule.CAP);
    }

    @Test
    void onlyHttpsUrlsAndWellFormedSecretsAreAccepted() {
        assertThatThrownBy(() -> WebhookSecret.parse("c2VjcmV0", "WEBHOOK_SECRET_FILE")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("whsec_").hasMessageNotContaining("c2VjcmV0");
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_c2hvcnQ=", "WEBHOOK_SECRET_FILE")).hasMessageContaining("24 to 64 bytes");
        Map<String, String> settings = Map.of("WEBHOOK_URL", "http://backend.example.com/hooks", "WEBHOOK_SECRET_FILE", "/x",
                "WEBHOOK_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/1/q");
        assertThatThrownBy(() -> WebhookConfig.from(new dev.mediagate.core.config.Settings(settings::get)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("WEBHOOK_URL");
    }

    private WebhookDeliveryHandler handler() {
        WebhookDelivery delivery = new WebhookDelivery(WebhookDelivery.httpClient(),
                URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks"),
                WebhookSecret.parse(secret, "WEBHOOK_SECRET_FILE"), Clock.systemUTC());
        SqsClient sqs = (SqsClient) Proxy.newProxyInstance(SqsClient.class.getClassLoader(), new Class<?>[] {SqsClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("changeMessageVisibility") && args[0] instanceof java.util.function.Consumer<?> consumer) {
                        ChangeMessageVisibilityRequest.Builder builder = ChangeMessageVisibilityRequest.builder();
                        @SuppressWarnings("unchecked")
                        java.util.function.Consumer<ChangeMessageVisibilityRequest.Builder> fill =
                                (java.util.function.Consumer<ChangeMessageVisibilityRequest.Builder>) consumer;
                        fill.accept(builder);
                        postponed.add(builder.build());
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new WebhookDeliveryHandler(delivery, sqs, "https://sqs.us-east-1.amazonaws.com/123456789012/mediagate-dev-webhooks");
    }

    private static SQSEvent fixture() throws IOException {
        Path file = Path.of(System.getProperty("mediagate.events.dir", "../../events")).resolve("sqs-webhook-delivery.json");
        return LambdaEventSerializers.serializerFor(SQSEvent.class, WebhookDeliveryHandlerTest.class.getClassLoader())
                .fromJson(new ByteArrayInputStream(Files.readAllBytes(file)));
    }

    private static String header(Received delivery, String name) {
        return delivery.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                .findFirst().orElse(null);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
