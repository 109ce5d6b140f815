package dev.mediagate.events;

import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.config.Settings;
import dev.mediagate.core.events.EventSink;
import dev.mediagate.core.events.FileEvent;
import java.time.Duration;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * The stack's own EventBridge bus ({@code EVENT_BUS_NAME}): {@code Source: mediagate}, {@code DetailType} = the event's
 * type, {@code Detail} = its JSON. A refused entry throws {@link EventRefusedException}, so the caller's retry publishes it
 * again (same id); a throttle is a refused entry, not an HTTP error.
 */
public final class EventBus implements EventSink {

    public static final String SOURCE = "mediagate";
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);
    private static final Pattern BUS_NAME = Pattern.compile("[A-Za-z0-9._\\-/]{1,256}");

    private final EventBridgeClient eventBridge;
    private final String busName;

    public EventBus(EventBridgeClient eventBridge, String busName) {
        this.eventBridge = eventBridge;
        this.busName = busName;
    }

    /** The bus named by {@code EVENT_BUS_NAME}, its client built once; {@code AWS_ENDPOINT_URL_EVENTBRIDGE} for the local stack. */
    public static EventBus from(Settings settings) {
        String busName = settings.required("EVENT_BUS_NAME");
        if (!BUS_NAME.matcher(busName).matches()) {
            throw new ConfigurationException("EVENT_BUS_NAME", "is not an EventBridge bus name: '" + busName + "'");
        }
        var builder = EventBridgeClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(10)).build())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(new DefaultAwsRegionProviderChain().getRegion());
        settings.httpUrl("AWS_ENDPOINT_URL_EVENTBRIDGE").ifPresent(builder::endpointOverride);
        return new EventBus(builder.build(), busName);
    }

    @Override
    public void publish(FileEvent event) {
        PutEventsResponse response = eventBridge.putEvents(r -> r.entries(e -> e.eventBusName(busName).source(SOURCE)
                .detailType(event.type()).detail(event.toJsonString())));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            PutEventsResultEntry entry = response.entries().get(0);
            throw new EventRefusedException(event.type(), event.id(), entry.errorCode());
        }
        log.atInfo().addKeyValue("eventId", event.id()).addKeyValue("type", event.type())
                .addKeyValue("fileId", event.data().fileId()).log("event published");
    }
}
