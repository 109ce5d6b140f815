package dev.mediagate.core.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;
import org.slf4j.spi.MDCAdapter;

/**
 * Writes each enabled event as one JSON line: {@code @timestamp}, {@code message}, {@code logger_name},
 * {@code thread_name}, {@code level}, {@code level_value}, the MDC, the key-value pairs and {@code stack_trace}.
 */
final class JsonLogger extends AbstractLogger implements LoggingEventAware {

    private final Level threshold;
    private final transient MDCAdapter mdc;

    JsonLogger(String name, Level threshold, MDCAdapter mdc) {
        this.name = name;
        this.threshold = threshold;
        this.mdc = mdc;
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] arguments,
            Throwable throwable) {
        write(level, message, arguments, List.of(), throwable);
    }

    @Override
    public void log(LoggingEvent event) {
        if (enabled(event.getLevel())) {
            List<KeyValuePair> pairs = event.getKeyValuePairs() == null ? List.of() : event.getKeyValuePairs();
            write(event.getLevel(), event.getMessage(), event.getArgumentArray(), pairs, event.getThrowable());
        }
    }

    private void write(Level level, String message, Object[] arguments, List<KeyValuePair> pairs, Throwable throwable) {
        FormattingTuple formatted = MessageFormatter.arrayFormat(message, arguments);
        Throwable cause = throwable != null ? throwable : formatted.getThrowable();
        StringBuilder line = new StringBuilder(256).append('{');
        Set<String> written = new HashSet<>();
        field(line, written, "@timestamp", Instant.now().toString());
        field(line, written, "@version", "1");
        field(line, written, "message", formatted.getMessage());
        field(line, written, "logger_name", name);
        field(line, written, "thread_name", Thread.currentThread().getName());
        field(line, written, "level", level.name());
        field(line, written, "level_value", level.toInt() * 1000);
        Map<String, String> context = mdc.getCopyOfContextMap();
        if (context != null) {
            context.forEach((key, value) -> field(line, written, key, value));
        }
        for (KeyValuePair pair : pairs) {
            field(line, written, pair.key, pair.value);
        }
        if (cause != null) {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            field(line, written, "stack_trace", trace.toString());
        }
        System.out.println(line.append('}'));
    }

    /** A field once: the first of MDC and key-value pairs with a name wins, so the line stays valid JSON for every reader. */
    private static void field(StringBuilder line, Set<String> written, String key, Object value) {
        if (key == null || !written.add(key)) {
            return;
        }
        if (line.length() > 1) {
            line.append(',');
        }
        string(line, key);
        line.append(':');
        if (value instanceof Number number && Double.isFinite(number.doubleValue()) || value instanceof Boolean) {
            line.append(value);
        } else {
            string(line, String.valueOf(value));
        }
    }

    private static void string(StringBuilder line, String text) {
        line.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }
}
