package dev.mediagate.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.mediagate.core.config.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * WebhookDeliveryFunction: each message of the webhook queue (an event, as the bus's rule put it there) is delivered;
 * a failed one is reported as a batch item failure, after its visibility is stretched to the next retry's delay, so
 * SQS hands it back then and moves it to the dead-letter queue after {@link RetrySchedule#MAX_RECEIVES} receives.
 */
public class WebhookDeliveryHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeliveryHandler.class);

    private final WebhookDelivery delivery;
    private final SqsClient sqs;
    private final String queueUrl;

    /** Lambda's init: configuration validated, the secret fetched and the clients built once. */
    public WebhookDeliveryHandler() {
        this(Settings.fromEnvironment());
    }

    /** The function's environment given explicitly: tests, and the local stack, which cannot set this JVM's environment. */
    WebhookDeliveryHandler(Settings settings) {
        this(WebhookConfig.from(settings), settings);
    }

    private WebhookDeliveryHandler(WebhookConfig config, Settings settings) {
        this(new WebhookDelivery(WebhookDelivery.httpClient(), config.url(), WebhookSecret.signer(config), Clock.systemUTC()),
                sqsClient(settings), config.queueUrl());
    }

    WebhookDeliveryHandler(WebhookDelivery delivery, SqsClient sqs, String queueUrl) {
        this.delivery = delivery;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        if (context != null) {
            MDC.put("lambdaRequestId", context.getAwsRequestId());
        }
        // The messages of a batch are delivered side by side: one slow receiver answer bounds the invocation.
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                attempts.add(executor.submit(() -> deliverOrPostpone(message)));
            }
            for (int i = 0; i < attempts.size(); i++) {
                if (!attempts.get(i).get()) {
                    failures.add(SQSBatchResponse.BatchItemFailure.builder()
                            .withItemIdentifier(event.getRecords().get(i).getMessageId()).build());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while delivering webhooks", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a delivery failed unexpectedly", e.getCause());
        } finally {
            MDC.clear();
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** True when the message is done with (delivered, or never deliverable); otherwise it comes back after the next delay. */
    private boolean deliverOrPostpone(SQSEvent.SQSMessage message) {
        WebhookDelivery.Outcome outcome = delivery.deliver(message.getBody());
        if (outcome.delivered() || !outcome.retry()) {
            return true;
        }
        int receives = Integer.parseInt(message.getAttributes() == null ? "1"
                : message.getAttributes().getOrDefault("ApproximateReceiveCount", "1"));
        Duration delay = RetrySchedule.delayAfter(receives, ThreadLocalRandom.current());
        try {
            sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.getReceiptHandle())
                    .visibilityTimeout((int) delay.toSeconds()));
        } catch (RuntimeException e) {
            // The message still comes back, after the queue's own visibility timeout.
            log.atWarn().addKeyValue("error", e.getClass().getSimpleName()).log("could not postpone the next attempt");
        }
        return false;
    }

    private static SqsClient sqsClient(Settings settings) {
        var builder = SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(new DefaultAwsRegionProviderChain().getRegion());
        settings.httpUrl("AWS_ENDPOINT_URL_SQS").ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
