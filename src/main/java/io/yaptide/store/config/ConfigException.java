package io.yaptide.store.config;

/** A configuration value is wrong; the message says which and what to do. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
