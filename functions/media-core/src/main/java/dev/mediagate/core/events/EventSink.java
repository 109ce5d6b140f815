package dev.mediagate.core.events;

/** Where events go: the stack's EventBridge bus in the functions, a list in unit tests. Throws when it cannot take one. */
@FunctionalInterface
public interface EventSink {

    void publish(FileEvent event);
}
