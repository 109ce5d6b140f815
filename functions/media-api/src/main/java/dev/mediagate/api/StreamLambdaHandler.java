package dev.mediagate.api;

import com.amazonaws.serverless.exceptions.ContainerInitializationException;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.serverless.proxy.model.HttpApiV2ProxyRequest;
import com.amazonaws.serverless.proxy.spring.SpringBootLambdaContainerHandler;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.MDC;

/** MediaApiFunction's entry point: HTTP API payload 2.0 events in, API Gateway responses out. */
public class StreamLambdaHandler implements RequestStreamHandler {

    private final SpringBootLambdaContainerHandler<HttpApiV2ProxyRequest, AwsProxyResponse> handler;

    /** Runs in Lambda's init phase (and before a SnapStart snapshot): Spring starts here, once. */
    public StreamLambdaHandler() {
        try {
            handler = SpringBootLambdaContainerHandler.getHttpApiV2ProxyHandler(MediaApiApplication.class);
        } catch (ContainerInitializationException e) {
            throw new IllegalStateException("media-api could not start: " + e.getMessage(), e);
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        if (context != null) {
            MDC.put("lambdaRequestId", context.getAwsRequestId());
        }
        try {
            ByteArrayOutputStream response = new ByteArrayOutputStream(2048);
            handler.proxyStream(input, response, context);
            output.write(HttpApiCookies.moveSetCookies(response.toByteArray()));
        } finally {
            MDC.clear();
        }
    }
}
