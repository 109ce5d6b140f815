package dev.mediagate.bench;

import dev.mediagate.api.StreamLambdaHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * One cold start, as Lambda's init + first invoke would see it: new JVM, handler constructed, first {@code POST /uploads}
 * answered. Prints milliseconds since the JVM started; {@code bench/run cold} runs it in fresh JVMs and takes the median.
 * With {@code -Dmediagate.prime=true} the handler is primed first, as before a SnapStart snapshot.
 */
public final class ColdStart {

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        BenchEnvironment.apply();
        byte[] event = BenchEnvironment.event("api-create-upload.json");
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        StreamLambdaHandler handler = new StreamLambdaHandler();
        if (Boolean.getBoolean("mediagate.prime")) {
            // What SnapStart does before taking the snapshot.
            handler.beforeCheckpoint(null);
        }
        long initialised = System.currentTimeMillis();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        long answered = System.currentTimeMillis();
        if (!out.toString(StandardCharsets.UTF_8).contains("\"statusCode\":201")) {
            throw new IllegalStateException("first response was not 201: " + out);
        }
        System.out.printf("cold-start init=%d ms first-response=%d ms%n", initialised - jvmStart, answered - jvmStart);
        // The empty bucket's server thread would keep this JVM alive.
        System.exit(0);
    }
}
