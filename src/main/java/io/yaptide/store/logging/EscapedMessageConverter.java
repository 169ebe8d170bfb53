package io.yaptide.store.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %msg} with {@link LogText#clean}: an argument cannot start a log line of its own or show a secret. */
public final class EscapedMessageConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return LogText.clean(event.getFormattedMessage());
    }
}
