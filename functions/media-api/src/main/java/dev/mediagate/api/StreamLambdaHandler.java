package dev.mediagate.api;

import com.amazonaws.serverless.exceptions.ContainerInitializationException;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.serverless.proxy.model.HttpApiV2ProxyRequest;
import com.amazonaws.serverless.proxy.spring.SpringBootLambdaContainerHandler;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.mediagate.api.cdn.CdnSigner;
import dev.mediagate.core.config.ConfigurationException;
import dev.mediagate.core.metrics.Metrics;
import jakarta.servlet.ServletContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.MDC;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.web.context.support.WebApplicationContextUtils;

/**
 * MediaApiFunction's entry point: HTTP API payload 2.0 events in, API Gateway responses out. Registered with CRaC, so
 * that with SnapStart the handler is primed before the snapshot is taken.
 */
public class StreamLambdaHandler implements RequestStreamHandler, Resource {

    /** Enough rounds for the hot paths to reach C2 before the snapshot; each costs well under a millisecond once warm. */
    static final int PRIMING_ROUNDS = 100;

    private final SpringBootLambdaContainerHandler<HttpApiV2ProxyRequest, AwsProxyResponse> handler;

    /** Runs in Lambda's init phase (and before a SnapStart snapshot): Spring starts here, once. */
    public StreamLambdaHandler() {
        // Logging is media-core's JSON provider for SLF4J: nothing for Spring Boot to set up.
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        try {
            handler = SpringBootLambdaContainerHandler.getHttpApiV2ProxyHandler(MediaApiApplication.class);
        } catch (ContainerInitializationException | RuntimeException e) {
            throw new IllegalStateException("media-api could not start: " + rootProblem(e).getMessage(), e);
        }
        Core.getGlobalContext().register(this);
    }

    /** A bad setting, named by its variable, wherever Spring wrapped it; otherwise the container's own failure. */
    private static Throwable rootProblem(Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConfigurationException) {
                return cause;
            }
        }
        return failure.getCause() instanceof ContainerInitializationException container ? container : failure;
    }

    /** RSA signatures this instance has made for CloudFront: what the local stack's checks of signature reuse count. */
    public long cdnSignatures() {
        return WebApplicationContextUtils.getRequiredWebApplicationContext(servletContext()).getBean(CdnSigner.class).signatures();
    }

    /** One of the application's beans (priming reaches the S3 client and the bucket's name through it). */
    <T> T bean(Class<T> type) {
        return WebApplicationContextUtils.getRequiredWebApplicationContext(servletContext()).getBean(type);
    }

    /** The servlet context this handler's Spring application runs in. */
    ServletContext servletContext() {
        return handler.getServletContext();
    }

    /**
     * SnapStart is about to snapshot this initialised function: run synthetic requests through every route. Nothing
     * unique is kept from them: ids come from SecureRandom, which Lambda reseeds on restore; credentials are resolved
     * per request; the signer's cache is keyed by expiry window and caller, so a primed entry never serves a real one.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Metrics.suppressedDuring(() -> Priming.prime(this, PRIMING_ROUNDS));
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: see beforeCheckpoint.
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
