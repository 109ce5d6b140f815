package dev.mediagate.local;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * While armed, the resizer dies the moment S3 has stored a manifest: nothing it would do after that write runs (as
 * when Lambda's process is killed), and the invocation fails. Or, while failing, every manifest write of the resizer
 * is refused, so its retries run out. Registered for every SDK client of the test JVM.
 */
public final class CrashAfterManifestWrite implements ExecutionInterceptor {

    private static final AtomicBoolean ARMED = new AtomicBoolean();
    private static final AtomicBoolean FAILING = new AtomicBoolean();
    private static final AtomicInteger CRASHES = new AtomicInteger();

    static void arm() {
        CRASHES.set(0);
        ARMED.set(true);
    }

    static void disarm() {
        ARMED.set(false);
    }

    /** While set, every manifest write of the resizer fails before it reaches S3, on every attempt. */
    static void failManifestWrites(boolean failing) {
        FAILING.set(failing);
    }

    static int crashes() {
        return CRASHES.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (FAILING.get() && context.request() instanceof PutObjectRequest put && put.key().endsWith("/manifest.json") && fromResizer()) {
            // Transient, as S3 trouble is: Lambda retries it until the retries run out.
            throw SdkClientException.create("S3 refused the manifest write (injected by the test)");
        }
    }

    private static boolean fromResizer() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().startsWith("dev.mediagate.resizer.")));
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (ARMED.get() && context.request() instanceof PutObjectRequest put && put.key().endsWith("/manifest.json")
                && StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().startsWith("dev.mediagate.resizer.")))) {
            CRASHES.incrementAndGet();
            throw new ProcessKilled();
        }
    }

    /** An Error, as nothing in the function can catch a kill. */
    static final class ProcessKilled extends Error {
        private static final long serialVersionUID = 1L;

        ProcessKilled() {
            super("the resizer's process was killed right after its manifest write");
        }
    }
}
