package dev.mediagate.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.local.sam.SamTemplate;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Lambda's on-failure destination for an asynchronous invocation whose retries are exhausted: whether the template
 * sends a function's failures to EventBridge, and the record Lambda puts there.
 */
public final class OnFailureRecords {

    /** The detail type Lambda gives the record on an EventBridge destination. */
    public static final String DETAIL_TYPE = "Lambda Function Invocation Result - Failure";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OnFailureRecords() {
    }

    /** Whether the function's {@code EventInvokeConfig} names EventBridge as its on-failure destination. */
    public static boolean goToTheBus(SamTemplate template, String functionId) {
        Map<String, Object> onFailure = SamTemplate.map(SamTemplate.map(SamTemplate.map(
                template.properties(functionId).get("EventInvokeConfig")).get("DestinationConfig")).get("OnFailure"));
        return "EventBridge".equals(onFailure.get("Type"));
    }

    /** Lambda's on-failure destination record for an asynchronous invocation whose retries are exhausted. */
    public static String record(String functionId, byte[] event, RuntimeException error) {
        try {
            var record = JSON.createObjectNode();
            record.put("version", "1.0");
            record.put("timestamp", Instant.now().toString());
            var context = record.putObject("requestContext");
            context.put("requestId", UUID.randomUUID().toString());
            context.put("functionArn", "arn:aws:lambda:" + SamTemplate.LOCAL_REGION + ":" + SamTemplate.LOCAL_ACCOUNT_ID
                    + ":function:" + functionId + ":$LATEST");
            context.put("condition", "RetriesExhausted");
            context.put("approximateInvokeCount", AsyncInvoker.RETRIES + 1);
            record.set("requestPayload", JSON.readTree(event));
            record.putObject("responseContext").put("statusCode", 200).put("executedVersion", "$LATEST").put("functionError", "Unhandled");
            Throwable cause = error.getCause() != null && error.getMessage() != null && error.getMessage().contains("failed") ? error.getCause() : error;
            record.putObject("responsePayload").put("errorMessage", String.valueOf(cause.getMessage()))
                    .put("errorType", cause.getClass().getName());
            return JSON.writeValueAsString(record);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
