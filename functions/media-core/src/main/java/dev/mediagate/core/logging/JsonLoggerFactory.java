package dev.mediagate.core.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.MDCAdapter;

/** One logger per name; the level follows the name: mediagate's own code from INFO, everything else from WARN. */
final class JsonLoggerFactory implements ILoggerFactory {

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final MDCAdapter mdc;

    JsonLoggerFactory(MDCAdapter mdc) {
        this.mdc = mdc;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new JsonLogger(n, threshold(n), mdc));
    }

    static Level threshold(String name) {
        return name.startsWith("dev.mediagate") || name.startsWith("mediagate") ? Level.INFO : Level.WARN;
    }
}
