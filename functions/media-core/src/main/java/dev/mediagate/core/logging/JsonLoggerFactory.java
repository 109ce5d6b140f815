package dev.mediagate.core.logging;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.MDCAdapter;

/**
 * One logger per name. mediagate's own code logs from the function's application log level (Lambda passes the
 * template's {@code ApplicationLogLevel} as {@code AWS_LAMBDA_LOG_LEVEL}; INFO when unset); libraries from WARN, or
 * from that level when it is stricter.
 */
final class JsonLoggerFactory implements ILoggerFactory {

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final MDCAdapter mdc;
    private final Level applicationLevel;

    JsonLoggerFactory(MDCAdapter mdc, String lambdaLogLevel) {
        this.mdc = mdc;
        this.applicationLevel = level(lambdaLogLevel);
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new JsonLogger(n, threshold(n, applicationLevel), mdc));
    }

    static Level threshold(String name, Level applicationLevel) {
        boolean own = name.startsWith("dev.mediagate") || name.startsWith("mediagate");
        return own || applicationLevel.toInt() > Level.WARN.toInt() ? applicationLevel : Level.WARN;
    }

    /** Lambda's names (TRACE, DEBUG, INFO, WARN, ERROR, FATAL); anything else is INFO. */
    static Level level(String lambdaLogLevel) {
        if (lambdaLogLevel == null) {
            return Level.INFO;
        }
        return switch (lambdaLogLevel.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "WARN" -> Level.WARN;
            case "ERROR", "FATAL" -> Level.ERROR;
            default -> Level.INFO;
        };
    }
}
