package dev.mediagate.core.config;

/** A missing or malformed setting; the message names the variable and never echoes a secret. */
public final class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigurationException(String variable, String problem) {
        super(variable + ": " + problem);
    }
}
