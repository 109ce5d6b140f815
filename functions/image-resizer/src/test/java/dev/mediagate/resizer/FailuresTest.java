package dev.mediagate.resizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediagate.core.events.FileEvent;
import dev.mediagate.events.EventBus;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/** Which failures the resizer retries: an entry EventBridge refused with a retryable code is one of them. */
class FailuresTest {

    private static final FileEvent EVENT = new FileEvent(FileEvent.UPLOADED, "evt_1", "2026-11-27T10:00:00Z",
            new FileEvent.Data("owner", "file", dev.mediagate.core.files.FileStatus.PROCESSING, "private", "a.jpg", "image/jpeg", 1L, null, null, null, null));

    @ParameterizedTest
    @ValueSource(strings = {"ThrottlingException", "InternalFailure"})
    void aRefusalEventBridgeCallsRetryableIsTransient(String errorCode) {
        RuntimeException refused = refusal(errorCode);

        assertThat(refused).hasMessageContaining(errorCode);
        assertThat(Failures.isTransient(refused)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AccessDeniedException", "InvalidArgument", "MalformedDetail"})
    void aRefusalEventBridgeCallsNonRetryableIsNot(String errorCode) {
        assertThat(Failures.isTransient(refusal(errorCode))).isFalse();
    }

    @Test
    void anAcceptedEntryDoesNotThrow() {
        AtomicInteger calls = new AtomicInteger();
        new EventBus(answering(calls, PutEventsResponse.builder().failedEntryCount(0)
                .entries(PutEventsResultEntry.builder().eventId("e-1").build()).build()), "mediagate-dev").publish(EVENT);
        assertThat(calls).hasValue(1);
    }

    /** What EventBus throws when EventBridge answers 200 with the entry refused with {@code errorCode}. */
    private static RuntimeException refusal(String errorCode) {
        EventBus bus = new EventBus(answering(new AtomicInteger(), PutEventsResponse.builder().failedEntryCount(1)
                .entries(PutEventsResultEntry.builder().errorCode(errorCode).errorMessage("refused").build()).build()),
                "mediagate-dev");
        try {
            bus.publish(EVENT);
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("a refused entry must throw");
    }

    private static EventBridgeClient answering(AtomicInteger calls, PutEventsResponse response) {
        return new EventBridgeClient() {
            @Override
            public PutEventsResponse putEvents(PutEventsRequest request) {
                calls.incrementAndGet();
                assertThat(request.entries()).extracting(entry -> entry.detailType()).isEqualTo(List.of(FileEvent.UPLOADED));
                return response;
            }

            @Override
            public String serviceName() {
                return "events";
            }

            @Override
            public void close() {
            }
        };
    }
}
