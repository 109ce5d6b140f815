package dev.mediagate.webhooks;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POST per event, as the Standard Webhooks specification says: the body exactly as signed, {@code webhook-id} (the
 * event's id, the same on every attempt), {@code webhook-timestamp} (this attempt's, in seconds) and
 * {@code webhook-signature} from the reference library. A 2xx is delivered; anything else, a redirect (never followed)
 * or no answer within 15 seconds is not.
 */
final class WebhookDelivery {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
    /** The event's id, read from the body without parsing it: the body is sent as it came. */
    private static final Pattern EVENT_ID = Pattern.compile("\"id\"\\s*:\\s*\"(evt_[0-9a-f]{32})\"");

    private final HttpClient http;
    private final URI url;
    private final Webhook signer;
    private final Clock clock;

    WebhookDelivery(HttpClient http, URI url, Webhook signer, Clock clock) {
        this.http = http;
        this.url = url;
        this.signer = signer;
        this.clock = clock;
    }

    static HttpClient httpClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The outcome of one attempt; never throws for what the receiver does. */
    Outcome deliver(String body) {
        Matcher id = EVENT_ID.matcher(body);
        if (!id.find()) {
            return new Outcome(false, false, "not a mediagate event: dropped");
        }
        String eventId = id.group(1);
        long timestamp = clock.instant().getEpochSecond();
        String signature;
        try {
            signature = signer.sign(eventId, timestamp, body);
        } catch (WebhookSigningException e) {
            return new Outcome(false, true, "cannot sign");
        }
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("content-type", "application/json")
                .header("user-agent", "mediagate-webhooks")
                .header("webhook-id", eventId)
                .header("webhook-timestamp", String.valueOf(timestamp))
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            boolean delivered = response.statusCode() >= 200 && response.statusCode() < 300;
            log.atInfo().addKeyValue("eventId", eventId).addKeyValue("status", response.statusCode())
                    .log(delivered ? "webhook delivered" : "webhook refused");
            return new Outcome(delivered, !delivered, "HTTP " + response.statusCode());
        } catch (HttpTimeoutException e) {
            log.atWarn().addKeyValue("eventId", eventId).log("webhook receiver did not answer in time");
            return new Outcome(false, true, "timeout");
        } catch (IOException e) {
            log.atWarn().addKeyValue("eventId", eventId).addKeyValue("error", e.getClass().getSimpleName()).log("webhook not reached");
            return new Outcome(false, true, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, true, "interrupted");
        }
    }

    /** {@code retry}: false for a message that can never be delivered (it is dropped rather than retried for a day). */
    record Outcome(boolean delivered, boolean retry, String detail) {
    }
}
