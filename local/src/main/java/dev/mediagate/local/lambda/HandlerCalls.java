package dev.mediagate.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediagate.core.config.Settings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Map;

/** A handler class constructed and called as Lambda's Java runtime does, in whichever JVM hosts it. */
final class HandlerCalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HandlerCalls() {
    }

    /** The handler's public no-argument constructor, Lambda's way: the function's init phase, reading the environment. */
    static Object construct(String logicalId, String className) {
        return construct(logicalId, className, null);
    }

    /**
     * As above in a JVM shared with other functions, whose environment cannot be set: a handler that takes its
     * {@link Settings} (its package-private constructor) is given the function's environment that way; the API
     * (Spring) reads the system properties {@link FunctionHost} sets, as Spring reads either.
     */
    static Object construct(String logicalId, String className, Map<String, String> environment) {
        try {
            Class<?> type = Class.forName(className);
            if (environment != null) {
                try {
                    Constructor<?> withSettings = type.getDeclaredConstructor(Settings.class);
                    withSettings.setAccessible(true);
                    return withSettings.newInstance(new Settings(name -> environment.containsKey(name)
                            ? environment.get(name) : System.getenv(name)));
                } catch (NoSuchMethodException noSettings) {
                    // a handler that reads its configuration otherwise (Spring's environment)
                }
            }
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(logicalId + " failed to initialise: " + cause.getMessage(), cause);
        }
    }

    /** The event's bytes through the handler, and what it returned, as JSON. */
    static byte[] invoke(Object handler, byte[] event, LocalContext context) {
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
            throw new IllegalStateException(context.getFunctionName() + "'s process died: " + e, e);
        }
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
            return LambdaEventSerializers.serializerFor(type, HandlerCalls.class.getClassLoader())
                    .fromJson(new ByteArrayInputStream(event));
        }
        return JSON.readValue(event, type);
    }
}
