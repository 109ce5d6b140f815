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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the functions of {@code template.yaml} in this JVM as Lambda would: the {@code Handler} class is constructed once
 * (init), then invoked one event at a time per function, with the function's environment from the template. All
 * functions share this JVM, so their environments become system properties, which the handlers' settings read first.
 */
final class FunctionHost {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SamTemplate template;
    private final Map<String, Object> handlers = new ConcurrentHashMap<>();

    FunctionHost(SamTemplate template) {
        this.template = template;
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

    /** Initialises every function now, as Lambda would before the first event: the ready line means ready. */
    void initialiseAll() {
        template.logicalIdsOfType("AWS::Serverless::Function").forEach(this::handler);
    }

    /** Invokes the function with the event's bytes, as {@code sam local invoke} does, and returns what it returned. */
    byte[] invoke(String logicalId, byte[] event) {
        Object handler = handler(logicalId);
        LocalContext context = LocalContext.start(logicalId, intProperty(logicalId, "Timeout", 3), intProperty(logicalId, "MemorySize", 128));
        synchronized (handler) {
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
            }
        }
    }

    /** Constructs the handler on first use: its constructor is the function's init phase. */
    Object handler(String logicalId) {
        return handlers.computeIfAbsent(logicalId, id -> {
            String handler = template.resolve(template.properties(id).get("Handler"));
            String className = handler.split("::")[0];
            try {
                return Class.forName(className).getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new IllegalStateException(id + " failed to initialise: " + cause.getMessage(), cause);
            }
        });
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
