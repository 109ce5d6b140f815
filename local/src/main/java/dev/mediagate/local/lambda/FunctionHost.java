package dev.mediagate.local.lambda;

import dev.mediagate.local.sam.SamTemplate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the functions of {@code template.yaml} in this JVM as Lambda would: each instance of a {@code Handler} class is
 * constructed once (init) and runs one event at a time; more instances start when all are busy, up to a limit, as
 * Lambda scales out. The function's environment comes from the template. Functions without native code share this
 * JVM, whose environment cannot be set: a plain handler gets its environment through its settings constructor
 * ({@link HandlerCalls}), and the values are system properties too, for the API (Spring reads them as it reads
 * environment variables) and the AWS SDK's own ({@code aws.region}, …). A function with layers runs each instance in a
 * JVM of its own ({@link FunctionProcess}), with real environment variables.
 */
public final class FunctionHost {

    private final SamTemplate template;
    private final int maxInstances;
    private final boolean isolateNativeFunctions;
    private final Map<String, Instances> instances = new ConcurrentHashMap<>();
    private final Map<String, String> settings = new java.util.LinkedHashMap<>();

    /** {@code maxInstances}: like Lambda's concurrency, how many initialised copies of a function may run at once. */
    public FunctionHost(SamTemplate template, int maxInstances, boolean isolateNativeFunctions) {
        this.template = template;
        this.maxInstances = maxInstances;
        this.isolateNativeFunctions = isolateNativeFunctions;
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

        /** An instance whose process died: forgotten, so the next invocation starts a fresh one. */
        void discard(Object handler) {
            all.remove(handler);
            created.decrementAndGet();
        }
    }

    /** Every initialised handler instance of a function (for the local stack's own checks, e.g. its signature counts). */
    public List<Object> handlers(String logicalId) {
        return List.copyOf(instances(logicalId).all);
    }

    /** Every function's environment from the template, then the local stack's own values (endpoints, keys) on top. */
    public void configure(Map<String, String> localOverrides) {
        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            template.environment(function).forEach((name, value) -> {
                if (!name.equals("JAVA_TOOL_OPTIONS")) {
                    settings.put(name, value);
                }
            });
        }
        settings.putAll(localOverrides);
        // Spring's environment and the AWS SDK read system properties; the plain handlers get the map itself.
        settings.forEach(System::setProperty);
    }

    /** Initialises one instance of every function now, as Lambda would before the first event: the ready line means ready. */
    public void initialiseAll() {
        for (String function : template.logicalIdsOfType("AWS::Serverless::Function")) {
            if (!template.exists(function)) {
                continue;
            }
            Instances pool = instances(function);
            pool.release(pool.acquire());
        }
    }

    /** Invokes the function with the event's bytes, as {@code sam local invoke} does, and returns what it returned. */
    public byte[] invoke(String logicalId, byte[] event) {
        Instances pool = instances(logicalId);
        Object handler = pool.acquire();
        boolean reusable = true;
        try {
            if (handler instanceof FunctionProcess.Child child) {
                try {
                    return child.invoke(event);
                } finally {
                    reusable = child.alive();
                }
            }
            return HandlerCalls.invoke(handler, event, LocalContext.start(logicalId, intProperty(logicalId, "Timeout", 3),
                    intProperty(logicalId, "MemorySize", 128)));
        } finally {
            if (reusable) {
                pool.release(handler);
            } else {
                pool.discard(handler);
            }
        }
    }

    private Instances instances(String logicalId) {
        if (!template.logicalIdsOfType("AWS::Serverless::Function").contains(logicalId)) {
            throw new IllegalArgumentException("template.yaml has no function " + logicalId);
        }
        return instances.computeIfAbsent(logicalId, Instances::new);
    }

    /**
     * Constructs a handler: its constructor is the function's init phase. A function with layers (native code) gets a
     * JVM of its own, as every Lambda instance has, so that a native crash ends that instance only. The others share
     * this JVM, constructed one at a time: the Spring container keeps static state while it starts.
     */
    private synchronized Object newHandler(String logicalId) {
        String handler = template.resolve(template.properties(logicalId).get("Handler"));
        String className = handler.split("::")[0];
        if (isolateNativeFunctions && template.properties(logicalId).get("Layers") != null) {
            return new FunctionProcess.Child(logicalId, className, intProperty(logicalId, "Timeout", 3),
                    intProperty(logicalId, "MemorySize", 128), settings);
        }
        return HandlerCalls.construct(logicalId, className, settings);
    }

    private int intProperty(String logicalId, String name, int fallback) {
        Object own = template.properties(logicalId).get(name);
        Object global = SamTemplate.map(SamTemplate.map(template.root().get("Globals")).get("Function")).get(name);
        Object value = own != null ? own : global;
        return value == null ? fallback : Integer.parseInt(template.resolve(value));
    }

}
