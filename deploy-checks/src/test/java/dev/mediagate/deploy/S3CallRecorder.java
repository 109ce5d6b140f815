package dev.mediagate.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Every S3 call the functions make in this test JVM, with the function that made it: registered with the SDK as a global
 * interceptor (a test resource, so it never reaches a function's jar), it sees the exact requests the code sends.
 */
public final class S3CallRecorder implements ExecutionInterceptor {

    /** One S3 call: the function, the operation, and what IAM looks at (keys, list prefix, conditional header). */
    record Call(String function, String operation, String bucket, List<String> keys, String prefix, String copySource,
            boolean ifNoneMatch) {
    }

    private static final Queue<Call> CALLS = new ConcurrentLinkedQueue<>();

    static void clear() {
        CALLS.clear();
    }

    static List<Call> calls() {
        return new ArrayList<>(CALLS);
    }

    static void record(Call call) {
        CALLS.add(call);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        Optional<String> function = callingFunction();
        if (!"S3".equals(service) || function.isEmpty()) {
            return;
        }
        SdkRequest request = context.request();
        List<String> keys = new ArrayList<>();
        String copySource = null;
        if (request instanceof CopyObjectRequest copy) {
            keys.add(copy.destinationKey());
            // The SDK folds sourceBucket/sourceKey into the URL-encoded x-amz-copy-source header before this runs.
            copySource = copy.sourceBucket() != null ? copy.sourceBucket() + "/" + copy.sourceKey()
                    : java.net.URLDecoder.decode(copy.copySource(), java.nio.charset.StandardCharsets.UTF_8);
        } else {
            request.getValueForField("Key", String.class).ifPresent(keys::add);
        }
        request.getValueForField("Delete", Delete.class)
                .ifPresent(delete -> delete.objects().stream().map(ObjectIdentifier::key).forEach(keys::add));
        record(new Call(function.get(), attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                request.getValueForField("Bucket", String.class).orElse(null), keys,
                request.getValueForField("Prefix", String.class).orElse(null),
                copySource,
                request.getValueForField("IfNoneMatch", String.class).isPresent()));
    }

    /** A read of a missing object: S3 answers 404 only after checking s3:ListBucket on the bucket, with no prefix. */
    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Optional<String> function = callingFunction();
        if (context.exception() instanceof S3Exception missing && missing.statusCode() == 404 && function.isPresent()) {
            record(new Call(function.get(), "ListBucket (existence check)",
                    context.request().getValueForField("Bucket", String.class).orElse(null), List.of(), null, null, false));
        }
    }

    /** The function whose code is on the calling stack (the local stack runs both in this JVM). */
    private static Optional<String> callingFunction() {
        for (StackTraceElement frame : Thread.currentThread().getStackTrace()) {
            if (frame.getClassName().startsWith("dev.mediagate.api.")) {
                return Optional.of("MediaApiFunction");
            }
            if (frame.getClassName().startsWith("dev.mediagate.resizer.")) {
                return Optional.of("ImageResizerFunction");
            }
            if (frame.getClassName().startsWith("dev.mediagate.publisher.")) {
                return Optional.of("EventPublisherFunction");
            }
        }
        return Optional.empty();
    }
}
