package io.yaptide.store.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A large worker's result set made of a real one's estimators repeated (for {@code json_with_results.json}:
 * 4 estimators, 18 pages of up to 300 KB, 2.56 MB), each copy under its own name ({@code z_profile__r7}),
 * so that none replaces another. The estimators' metadata and pages are the fixture's bytes as they
 * are; the body is written as it is sent, never held whole, and its length is known up front.
 */
public final class RepeatedResultSet {
    private record Template(String name, byte[] metadata, byte[] pages) {
    }

    private static final byte[] PAGES_KEY = ",\"pages\":".getBytes(StandardCharsets.US_ASCII);
    private final List<Template> estimators = new ArrayList<>();
    private final long bytesPerRepetition;

    public RepeatedResultSet(byte[] fixture) {
        try (JsonParser p = new JsonFactory().createParser(fixture)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("estimators")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String name = null;
                    byte[] metadata = null;
                    byte[] pages = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken value = p.nextToken();
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                            p.skipChildren();
                        }
                        int end = (int) p.currentTokenLocation().getByteOffset() + 1;
                        switch (f) {
                            case "name" -> name = p.getText();
                            case "metadata" -> metadata = Arrays.copyOfRange(fixture, start, end);
                            case "pages" -> pages = Arrays.copyOfRange(fixture, start, end);
                            default -> { }
                        }
                    }
                    estimators.add(new Template(name, metadata == null ? "null".getBytes(StandardCharsets.US_ASCII) : metadata, pages));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long perRepetition = 0;
        for (int i = 0; i < estimators.size(); i++) {
            perRepetition += estimatorBytes(i, 0).length + estimators.get(i).metadata().length + estimators.get(i).pages().length + 2;
        }
        this.bytesPerRepetition = perRepetition;
    }

    /** Estimators per repetition (4 for the fixture). */
    public int estimatorsPerRepetition() {
        return estimators.size();
    }

    /** Repetitions that make a body of about {@code bytes}. */
    public int repetitionsFor(long bytes) {
        return (int) Math.max(1, Math.round((double) bytes / bytesPerRepetition));
    }

    /** Pages per repetition (18 for the fixture). */
    public int pagesPerRepetition() {
        int pages = 0;
        for (Template t : estimators) {
            try (JsonParser p = new JsonFactory().createParser(t.pages())) {
                p.nextToken();
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    p.skipChildren();
                    pages++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pages;
    }

    /** The body's length, in bytes (what {@link #writeTo} writes). */
    public long length(long simulationId, String updateKey, int repetitions) {
        long length = head(simulationId, updateKey).length + 2;
        for (int r = 0; r < repetitions; r++) {
            for (int i = 0; i < estimators.size(); i++) {
                Template t = estimators.get(i);
                length += estimatorBytes(i, r).length + t.metadata().length + PAGES_KEY.length + t.pages().length + 1;
            }
        }
        return length + Math.max(0, (long) repetitions * estimators.size() - 1); // the commas
    }

    /** Writes the body: the worker's envelope, then {@code repetitions} copies of the estimators. */
    public void writeTo(OutputStream out, long simulationId, String updateKey, int repetitions) throws IOException {
        out.write(head(simulationId, updateKey));
        boolean first = true;
        for (int r = 0; r < repetitions; r++) {
            for (int i = 0; i < estimators.size(); i++) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                Template t = estimators.get(i);
                out.write(estimatorBytes(i, r));
                out.write(t.metadata());
                out.write(PAGES_KEY);
                out.write(t.pages());
                out.write('}');
            }
        }
        out.write("]}".getBytes(StandardCharsets.US_ASCII));
    }

    /** The name under which copy {@code repetition} of estimator {@code index} is posted. */
    public String name(int index, int repetition) {
        return estimators.get(index).name() + "_r" + repetition;
    }

    private byte[] estimatorBytes(int index, int repetition) {
        // {"name":"NAME_rR","metadata":   (then the metadata, ,"pages": and the pages, and })
        String name = name(index, repetition);
        return ("{\"name\":\"" + name + "\",\"metadata\":").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] head(long simulationId, String updateKey) {
        return ("{\"simulation_id\":" + simulationId + ",\"update_key\":\"" + updateKey + "\",\"estimators\":[")
                .getBytes(StandardCharsets.UTF_8);
    }
}
