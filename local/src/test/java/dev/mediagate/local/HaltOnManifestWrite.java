package dev.mediagate.local;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Stands for a native crash in the resizer: when the function's JVM was started with {@value #SETTING}, the process
 * ends abruptly (no exception, no finally, like a SIGSEGV in libvips) as the resizer is about to write a manifest.
 */
public final class HaltOnManifestWrite implements ExecutionInterceptor {

    static final String SETTING = "mediagate.test.halt-on-manifest-write";

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (Boolean.getBoolean(SETTING) && context.request() instanceof PutObjectRequest put && put.key().endsWith("/manifest.json")
                && StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().startsWith("dev.mediagate.resizer.")))) {
            Runtime.getRuntime().halt(139);
        }
    }
}
