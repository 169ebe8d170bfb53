package io.yaptide.store.logging;

import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.mask.ValueMasker;

/**
 * The JSON log format's masking of secrets: every string value written to a JSON log line (message,
 * stack trace, MDC and arguments alike) has password and key hashes and JWTs masked as in the plain
 * format ({@link LogText}). Control characters need no escaping here: JSON escapes them itself.
 */
public final class SecretValueMasker implements ValueMasker {
    @Override
    public Object mask(JsonStreamContext context, Object value) {
        if (value instanceof CharSequence text) {
            String masked = LogText.mask(text.toString());
            return masked.contentEquals(text) ? null : masked; // null: leave the value as it is
        }
        return null;
    }
}
