package dev.mediagate.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the functions of {@code template.yaml} in this JVM as Lambda would: each instance of a {@code Handler} class is
 * constructed once (init) and runs one event at a time; more instances start when all are busy, up to a limit, as
 * Lambda scales out. The function's environment comes from the template. All
 * functions share this JVM, so their environments become system properties, which the handlers' settings read first.
 */
final class FunctionHost {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SamTemplate template;
    private final int maxInstances;
    private final Map<String, Instances> instances = new ConcurrentHashMap<>();

    /** {@code maxInstances}: like Lambda's concurrency, how many initialised copies of a function may run at once. */
    FunctionHost(SamTemplate template, int maxInstances) {
        this.template = template;
        this.maxInstances = maxInstances;
    }

    /** Idle initialised handlers of one function; a new one is initialised only when all are busy, up to the limit. */
    private final class Instances {
        private final String logicalId;
        private final java.util.concurrent.BlockingQueue<Object> idle = new java.util.concurrent.LinkedBlockingQueue<>();
        private final java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();
        private final List<Object> all = new java.util.concurrent.CopyOnWriteArrayList<>();

        Instances(String logicalId) {
            this.logicalId = logicalId;
        }

        Object acquire() {
            Object handler = idle.poll();
            if (handler != null) {
                return handler;
            }
            if (created.incrementAndGet() <= maxInstances) {
                try {
                    Object fresh = newHandler(logicalId);
                    all.add(fresh);
                    return fresh;
                } catch (RuntimeException e) {
                    created.decrementAndGet();
                    throw e;
                }
            }
            created.decrementAndGet();
            try {
                return idle.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + logicalId, e);
            }
        }

        void release(Object handler) {
            idle.add(handler);
        }
    }

    /** Every initialised handler instance of a function (for the local stack's own checks, e.g. its signature counts). */
    List<Object> handlers(String logicalId) {
        return List.copyOf(instances(logicalId).all);
    }

    /** Every function's environment from the template, then the local stack's own values (endpoints, keys) on top. */
    void configure(Map<String, String> localOverrides) {
        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            template.environment(function).forEach((name, value) -> {
                if (!name.equals("JAVA_TOOL_OPTIONS")) {
                    System.setProperty(name, value);
                }
            });
        }
        localOverrides.forEach(System::setProperty);
    }

    /** Initialises one instance of every function now, as Lambda would before the first event: the ready line means ready. */
    void initialiseAll() {
        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            if (!template.exists(function)) {
                continue;
            }
            Instances pool = instances(function);
            pool.release(pool.acquire());
        }
    }

    /** Invokes the function with the event's bytes, as {@code sam local invoke} does, and returns what it returned. */
    byte[] invoke(String logicalId, byte[] event) {
        Instances pool = instances(logicalId);
        Object handler = pool.acquire();
        LocalContext context = LocalContext.start(logicalId, intProperty(logicalId, "Timeout", 3), intProperty(logicalId, "MemorySize", 128));
        try {
            try {
                if (handler instanceof RequestStreamHandler stream) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    stream.handleRequest(new ByteArrayInputStream(event), out, context);
                    return out.toByteArray();
                }
                Method method = handleRequest(handler.getClass());
                Object input = deserialize(method.getParameterTypes()[0], event);
                @SuppressWarnings("unchecked")
                Object output = ((RequestHandler<Object, Object>) handler).handleRequest(input, context);
                return output instanceof String text ? JSON.writeValueAsBytes(text) : JSON.writeValueAsBytes(output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Error e) {
                // Lambda reports a dead runtime as the invocation's error and starts a fresh one; the stack goes on.
                throw new IllegalStateException(logicalId + "'s process died: " + e, e);
            }
        } finally {
            pool.release(handler);
        }
    }

    private Instances instances(String logicalId) {
        if (!template.logicalIdsOfType("AWS::Serverless::Function").contains(logicalId)) {
            throw new IllegalArgumentException("template.yaml has no function " + logicalId);
        }
        return instances.computeIfAbsent(logicalId, Instances::new);
    }

    /**
     * Constructs a handler: its constructor is the function's init phase. One at a time: in Lambda every instance has
     * its own JVM, here they share one, and the Spring container keeps static state while it starts.
     */
    private synchronized Object newHandler(String logicalId) {
        String handler = template.resolve(template.properties(logicalId).get("Handler"));
        String className = handler.split("::")[0];
        try {
            return Class.forName(className).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(logicalId + " failed to initialise: " + cause.getMessage(), cause);
        }
    }

    private int intProperty(String logicalId, String name, int fallback) {
        Object own = template.properties(logicalId).get(name);
        Object global = SamTemplate.map(SamTemplate.map(template.root().get("Globals")).get("Function")).get(name);
        Object value = own != null ? own : global;
        return value == null ? fallback : Integer.parseInt(template.resolve(value));
    }

    private static Method handleRequest(Class<?> type) {
        for (Method method : type.getMethods()) {
            if (method.getName().equals("handleRequest") && method.getParameterCount() == 2 && !method.isBridge()) {
                return method;
            }
        }
        throw new IllegalStateException(type.getName() + " has no handleRequest(input, Context)");
    }

    /** Lambda's own event serialisers for {@code aws-lambda-java-events} types, Jackson for anything else. */
    private static Object deserialize(Class<?> type, byte[] event) throws IOException {
        if (type.getName().startsWith("com.amazonaws.services.lambda.runtime.events.")) {
            return LambdaEventSerializers.serializerFor(type, FunctionHost.class.getClassLoader())
                    .fromJson(new ByteArrayInputStream(event));
        }
        return JSON.readValue(event, type);
    }
}
