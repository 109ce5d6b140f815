package dev.mediagate.core.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Hand-written: a function without SnapStart (resizer, publisher, webhooks) writes its first log line ~800 ms sooner
 * than with Powertools' Log4j layout ({@code bench/run logging}; docs/operations.md, "Logs").
 *
 * <p>The functions' SLF4J backend: one JSON object per line on standard output, which Lambda sends to CloudWatch Logs
 * (Logs Insights reads the fields directly). MDC entries and the fluent API's key-value pairs become fields; the level
 * follows {@code AWS_LAMBDA_LOG_LEVEL} (the template's {@code ApplicationLogLevel}). Public only because SLF4J finds it
 * through the {@link java.util.ServiceLoader}.
 */
public final class JsonLogProvider implements SLF4JServiceProvider {

    private ILoggerFactory loggers;
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    @Override
    public void initialize() {
        mdc = new BasicMDCAdapter();
        markers = new BasicMarkerFactory();
        loggers = new JsonLoggerFactory(mdc, System.getenv("AWS_LAMBDA_LOG_LEVEL"));
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
