package dev.mediagate.petstore;

import com.amazonaws.serverless.proxy.model.AwsProxyRequest;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.serverless.proxy.spring.SpringBootLambdaContainerHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/** One cold start of the reference, measured as media-api's: new JVM, handler initialised, first {@code GET /pets} answered. */
public final class PetStoreColdStart {

    private static final String EVENT = """
            {"resource":"/pets","path":"/pets","httpMethod":"GET","headers":{"Accept":"application/json"},
             "multiValueHeaders":{"Accept":["application/json"]},"requestContext":{"resourcePath":"/pets",
             "httpMethod":"GET","stage":"prod","identity":{"sourceIp":"127.0.0.1"}},"isBase64Encoded":false}
            """;

    private PetStoreColdStart() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        SpringBootLambdaContainerHandler<AwsProxyRequest, AwsProxyResponse> handler =
                SpringBootLambdaContainerHandler.getAwsProxyHandler(PetStoreApplication.class);
        long initialised = System.currentTimeMillis();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.proxyStream(new ByteArrayInputStream(EVENT.getBytes(StandardCharsets.UTF_8)), out, null);
        long answered = System.currentTimeMillis();
        if (!out.toString(StandardCharsets.UTF_8).contains("\"statusCode\":200")) {
            throw new IllegalStateException("first response was not 200: " + out);
        }
        System.out.printf("cold-start init=%d ms first-response=%d ms%n", initialised - jvmStart, answered - jvmStart);
    }
}
