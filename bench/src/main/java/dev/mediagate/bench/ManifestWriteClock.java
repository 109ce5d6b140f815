package dev.mediagate.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** When S3 confirmed each manifest write ({@code System.nanoTime()}, by file id): where webhook latency starts. */
public final class ManifestWriteClock implements ExecutionInterceptor {

    static final Map<String, Long> WRITTEN = new ConcurrentHashMap<>();

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof PutObjectRequest put && put.key().startsWith("variants/") && put.key().endsWith("/manifest.json")) {
            String[] parts = put.key().split("/");
            WRITTEN.putIfAbsent(parts[2], System.nanoTime());
        }
    }
}
