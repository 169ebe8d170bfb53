package io.yaptide.store.http;

import io.yaptide.store.results.Payload;
import java.io.IOException;

/**
 * Where a JSON answer is written piece by piece: literal text, values, stored documents. Held whole
 * ({@link JsonParts}) or streamed to the client ({@link JsonStream}); the writers of a body
 * ({@link ResultSetBody}) do not know which.
 */
interface JsonSink {
    JsonSink text(String literal) throws IOException;

    /** A value serialised as JSON (a string is quoted and escaped). */
    JsonSink value(Object value) throws IOException;

    /** A stored JSON document; null is written as JSON null. */
    JsonSink stored(Payload payload) throws IOException;
}
