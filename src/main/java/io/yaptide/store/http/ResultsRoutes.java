package io.yaptide.store.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.yaptide.store.results.Estimator;
import io.yaptide.store.results.EstimatorNames;
import io.yaptide.store.results.InvalidResultSetException;
import io.yaptide.store.results.ResultPage;
import io.yaptide.store.results.ResultSetIngest;
import io.yaptide.store.results.ResultSetInput;
import io.yaptide.store.results.ResultSetReader;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.simulations.InputType;
import io.yaptide.store.simulations.Simulation;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.users.User;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongConsumer;

/**
 * {@code /results}: workers post a simulation's result set (streamed from the socket to the
 * database page by page, and the simulation becomes COMPLETED); users read all estimators, one
 * estimator, one page ({@code page_number}) or some pages ({@code page_numbers=1-3,5}). Reads are
 * served from the stored gzip pages without decompressing them when the client accepts gzip
 * ({@link JsonParts}; whole sets and estimators, which may be larger than the heap, as they are read:
 * {@link JsonStream}).
 */
final class ResultsRoutes {
    /** A {@code page_numbers} list naming more pages than this is refused. */
    static final int MAX_PAGES_PER_REQUEST = 10_000;

    private final SimulationStore simulations;
    private final ResultStore results;
    private final Authenticator auth;
    private final JobAccess access;
    private final WorkerKeys keys;
    private final long maxBodyBytes;
    private final long maxResultsBodyBytes;

    /**
     * @param maxBodyBytes        the largest page (or estimator metadata) of a result set: each is held whole
     * @param maxResultsBodyBytes the largest result set
     */
    ResultsRoutes(SimulationStore simulations, ResultStore results, Authenticator auth, long maxBodyBytes,
                  long maxResultsBodyBytes) {
        this.simulations = simulations;
        this.results = results;
        this.auth = auth;
        this.access = new JobAccess(simulations);
        this.keys = new WorkerKeys(simulations);
        this.maxBodyBytes = maxBodyBytes;
        this.maxResultsBodyBytes = maxResultsBodyBytes;
    }

    void register(Javalin app) {
        app.post("/results", this::store);
        app.get("/results", ctx -> StandbyReads.run(ctx, this::read));
    }

    // ---- workers ----------------------------------------------------------------------------------

    /** The three fields a worker's result set must have. */
    private static final List<String> REQUIRED = List.of("simulation_id", "update_key", "estimators");

    /**
     * A worker's result set, streamed from the socket to the database: the body is parsed token by
     * token; once {@code simulation_id} and {@code update_key} have been read and checked, each page
     * of {@code estimators} is cut from the input, compressed and inserted as it arrives
     * ({@link ResultSetIngest}), in the one transaction that also makes the job COMPLETED. Bad input
     * anywhere (malformed or cut-off JSON, a wrong shape, text the database refuses, a missing field)
     * rolls that transaction back: nothing is stored, and the answer is a 4xx naming the problem.
     *
     * <p>Workers send the key before the estimators (the original's do). A body that gives the
     * estimators first is read whole into memory before anything is checked, so it is held to the
     * ordinary body limit.
     */
    private void store(Context ctx) {
        if (ctx.req().getContentLengthLong() == 0) {
            throw ApiException.badRequest("No JSON in body");
        }
        BodyLimits limits = ctx.attribute(BodyLimits.ATTRIBUTE);
        LongConsumer reserve = bytes -> {
            if (limits != null) {
                limits.reserve(ctx, bytes);
            }
        };
        // the pages read but not yet stored: bounded by the ingest whatever the body's size, and by the body itself
        long declared = ctx.req().getContentLengthLong();
        reserve.accept(declared > 0 ? Math.min(declared, ResultSetIngest.IN_FLIGHT_BYTES) : ResultSetIngest.IN_FLIGHT_BYTES);
        Map<String, Object> envelope = new HashMap<>();
        ResultSetIngest ingest = null;
        try (ResultSetInput input = new ResultSetInput(ctx.req().getInputStream(), maxResultsBodyBytes, maxBodyBytes, reserve);
             JsonParser p = Reply.JSON.getFactory().createParser(input)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw ApiException.badRequest("No JSON in body");
            }
            if (first != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("JSON body must be an object");
            }
            int estimators = -1;
            byte[] early = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (REQUIRED.contains(name) && envelope.containsKey(name)) {
                    throw ApiException.badRequest("Wrong data provided: " + name + " is given twice");
                }
                if (name.equals("estimators")) {
                    envelope.put(name, value);
                    if (envelope.containsKey("simulation_id") && envelope.containsKey("update_key")) {
                        ingest = startIngest(envelope);
                        estimators = reader(p, input, name).read(ingest);
                    } else {
                        early = held(p, input);
                    }
                    continue;
                }
                switch (value) {
                    case VALUE_NUMBER_INT -> envelope.put(name, p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? p.getText() : p.getLongValue());
                    case VALUE_STRING -> envelope.put(name, checkedText(p, name));
                    case START_OBJECT, START_ARRAY -> {
                        envelope.put(name, value);
                        reader(p, input, name).skipValue();
                    }
                    default -> envelope.put(name, value);
                }
            }
            if (p.nextToken() != null) {
                throw ApiException.badRequest("Malformed JSON in body: unexpected content after the object");
            }
            if (!envelope.keySet().containsAll(REQUIRED)) {
                throw ApiException.badRequest("Incomplete JSON data: simulation_id, update_key and estimators are required");
            }
            if (early != null) {
                ingest = startIngest(envelope);
                try (JsonParser held = Reply.JSON.getFactory().createParser(early)) {
                    held.nextToken();
                    estimators = new ResultSetReader(held, ResultSetReader.source(early), TextRules::problem, "estimators").read(ingest);
                }
            }
            if (estimators == 0) {
                // the original stored nothing and made the job COMPLETED: a finished job without results
                throw ApiException.badRequest("Wrong data provided: estimators must not be empty; a simulation that produced"
                        + " no results should be reported FAILED through POST /tasks");
            }
            ingest.finish();
        } catch (ResultSetIngest.AlreadyFinishedException e) {
            long simulationId = (Long) envelope.get("simulation_id");
            String state = simulations.findById(simulationId).map(s -> s.state().name()).orElse("finished");
            throw new ApiException(409, "Simulation " + simulationId + " is " + state
                    + " already; its state and results stay as they are");
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Wrong data provided: " + e.getMessage());
        } catch (ResultSetInput.BodyTooLargeException e) {
            throw BodyLimits.resultSetTooLarge(e.size(), e.limit());
        } catch (ResultSetInput.DocumentTooLargeException e) {
            throw new ApiException(413, "Request body too large: " + e.getMessage() + "; a page (or, when the estimators"
                    + " come before simulation_id and update_key, the whole list) is held in memory and may be at most "
                    + e.limit() + " bytes (" + HttpConfig.ENV_MAX_BODY_BYTES + ")");
        } catch (JsonParseException e) {
            throw ApiException.badRequest("Malformed JSON in body: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        } catch (JsonProcessingException e) {
            // the parser's limits (number length, nesting depth, name length): the body's fault, as on /tasks
            throw ApiException.badRequest("Malformed JSON in body: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw ApiException.badRequest("Cannot read the request body: " + e.getMessage());
        } finally {
            if (ingest != null) {
                ingest.close(); // rolls back unless finished
            }
        }
        Reply.send(ctx, 202, "Results saved");
    }

    private static ResultSetReader reader(JsonParser p, ResultSetInput input, String field) {
        return new ResultSetReader(p, input, TextRules::problem, field);
    }

    /** The estimators list held whole (given before the key, so nothing can be written yet), checked as it is read. */
    private static byte[] held(JsonParser p, ResultSetInput input) throws IOException {
        long start = p.currentTokenLocation().getByteOffset();
        input.release(start);
        if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
            int depth = 1;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    throw new InvalidResultSetException("the result set ends early: the body was cut off");
                }
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    default -> {
                    }
                }
            }
        }
        long end = p.currentTokenLocation().getByteOffset() + 1;
        ResultSetReader.Slice slice = input.slice(start, end);
        input.release(end);
        return slice.bytes();
    }

    /**
     * Checks the envelope's key (400 for a wrong one, before anything is written) and opens the
     * ingest; for a job made in the editor, with the project's output names (as the original since
     * the seed: estimators are shown under them, the simulator's names kept as {@code file_name}; see
     * {@link EstimatorNames}).
     */
    private ResultSetIngest startIngest(Map<String, Object> envelope) {
        if (!(envelope.get("simulation_id") instanceof Long simulationId)) {
            throw ApiException.badRequest("Wrong data provided: simulation_id must be an integer");
        }
        if (!(envelope.get("update_key") instanceof String key)) {
            throw ApiException.badRequest("Wrong data provided: update_key must be a string");
        }
        keys.check(simulationId, key, "Simulation does not exist");
        boolean editor = simulations.findById(simulationId).map(s -> s.inputType() == InputType.EDITOR).orElse(false);
        List<String> outputs = !editor ? List.of() : results.input(simulationId)
                .map(input -> EstimatorNames.outputNames(input.data().json())).orElse(List.of());
        return results.ingest(simulationId, Instant.now(), outputs);
    }

    private static String checkedText(JsonParser p, String field) throws IOException {
        String text = p.getText();
        TextRules.check(field, text);
        return text;
    }

    // ---- users ------------------------------------------------------------------------------------

    private void read(Context ctx) {
        User user = auth.user(ctx);
        String jobId = JobAccess.jobIdParam(ctx);
        String estimatorName = ctx.queryParam("estimator_name");
        String pageNumberText = ctx.queryParam("page_number");
        String pageNumbersText = ctx.queryParam("page_numbers");
        if (pageNumberText != null && pageNumberText.isBlank()) {
            // intParam's fallback is for optional paging parameters; an empty page number is a mistake
            throw ApiException.badRequest("Wrong parameters: page_number must be a whole number, got ''");
        }
        Integer pageNumber = pageNumberText == null ? null
                : UserRoutes.intParam(ctx, "page_number", 0, 0, Integer.MAX_VALUE);
        List<Integer> pageNumbers = pageNumbersText == null ? null : parsePageNumbers(pageNumbersText);
        if (pageNumber != null && pageNumbers != null) {
            throw ApiException.badRequest("Wrong parameters: give page_number or page_numbers, not both");
        }
        if (estimatorName == null && (pageNumber != null || pageNumbers != null)) {
            throw ApiException.badRequest("Wrong parameters: page_number and page_numbers need estimator_name");
        }
        Simulation simulation = access.owned(jobId, user);

        if (estimatorName == null) {
            streamResultSet(ctx, jobId, simulation.id());
            return;
        }
        Estimator estimator = results.estimator(simulation.id(), estimatorName)
                .orElseThrow(() -> new ApiException(404, "Estimator not found"));
        if (pageNumber != null) {
            ResultPage page = results.page(estimator.id(), pageNumber)
                    .orElseThrow(() -> pageNotFound(estimator, List.of(pageNumber)));
            JsonParts.envelope("Page retrieved successfully").text(",\"page\":").stored(page.data()).text("}").send(ctx, 200);
            return;
        }
        if (pageNumbers != null) {
            List<ResultPage> pages = results.pages(estimator.id(), pageNumbers);
            if (pages.size() != pageNumbers.size()) {
                List<Integer> missing = new ArrayList<>(pageNumbers);
                pages.forEach(p -> missing.remove(Integer.valueOf(p.pageNumber())));
                throw pageNotFound(estimator, missing);
            }
            JsonParts body = JsonParts.envelope("Pages retrieved successfully").text(",\"pages\":[");
            pageList(body, pages).text("]}").send(ctx, 200);
            return;
        }
        streamEstimator(ctx, "Estimator '" + estimatorName + "' for simulation: " + simulation.id(), estimator);
    }

    /**
     * {@code GET /results} of a whole set, written as the rows come from the database
     * ({@link ResultStore#streamResultSet}, one statement): the answer's status is known at the first
     * row (404 when there is none), and nothing of the set is held but a few rows and, for an answer
     * small enough to get a Content-Length, its pieces ({@link JsonStream}).
     */
    private void streamResultSet(Context ctx, String jobId, long simulationId) {
        JsonStream[] stream = new JsonStream[1];
        ResultSetBody body = new ResultSetBody("Results for job: " + jobId,
                () -> stream[0] = JsonStream.start(ctx, 200));
        try {
            results.streamResultSet(simulationId, body);
            if (!body.started()) {
                throw new ApiException(404, "Results are unavailable");
            }
            body.end();
            stream[0].finish();
        } catch (IOException | RuntimeException e) {
            failStreamed(ctx, stream[0], e);
        }
    }

    /** One estimator with its pages, the pages streamed as {@link #streamResultSet} streams a set. */
    private void streamEstimator(Context ctx, String message, Estimator estimator) {
        JsonStream body = null;
        try {
            JsonStream b = body = JsonStream.envelope(ctx, 200, message).text(",");
            ResultSetBody.estimatorHead(b, estimator);
            int[] pages = new int[1];
            results.streamPages(estimator.id(), new ResultStore.ResultSetVisitor() {
                @Override
                public void estimator(Estimator e) {
                }

                @Override
                public void page(ResultPage page) throws IOException {
                    b.text(pages[0]++ == 0 ? "" : ",").stored(page.data());
                }
            });
            b.text("]}").finish();
        } catch (IOException | RuntimeException e) {
            failStreamed(ctx, body, e);
        }
    }

    /**
     * A streamed answer that failed: before anything was sent, the failure is answered as any other
     * (404, 503...); after, the connection is cut so that the client cannot take a partial answer
     * for a whole one. A client that went away needs no answer.
     */
    private static void failStreamed(Context ctx, JsonStream body, Exception e) {
        if (body != null && body.committed()) {
            JsonStream.abort(ctx, e);
            if (e instanceof IOException || e instanceof UncheckedIOException) {
                return; // the client went away: nobody to tell
            }
        } else if (body != null) {
            ctx.res().setHeader("Content-Encoding", null); // the error answer is plain JSON
        }
        throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
    }

    private static JsonParts pageList(JsonParts body, List<ResultPage> pages) {
        for (int i = 0; i < pages.size(); i++) {
            if (i > 0) {
                body.text(",");
            }
            body.stored(pages.get(i).data());
        }
        return body;
    }

    private ApiException pageNotFound(Estimator estimator, List<Integer> missing) {
        List<Integer> existing = results.pageNumbers(estimator.id());
        return new ApiException(404, "Page " + (missing.size() == 1 ? missing.get(0) : missing.toString())
                + " of estimator " + estimator.name() + " does not exist; its pages are "
                + (existing.isEmpty() ? "none" : existing.get(0) + "-" + existing.get(existing.size() - 1)));
    }

    /** The original's page list syntax, {@code 1-3,5}: sorted, without repeats. */
    static List<Integer> parsePageNumbers(String text) {
        TreeSet<Integer> pages = new TreeSet<>();
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    int start = Integer.parseInt(p.substring(0, dash).strip());
                    int end = Integer.parseInt(p.substring(dash + 1).strip());
                    if (start < 0 || end < start) {
                        throw badPages(text, "range " + p + " must go from a page number up to a larger one");
                    }
                    if ((long) end - start + 1 + pages.size() > MAX_PAGES_PER_REQUEST) {
                        throw badPages(text, "more than " + MAX_PAGES_PER_REQUEST + " pages");
                    }
                    for (int i = start; i <= end; i++) {
                        pages.add(i);
                    }
                } else {
                    int page = Integer.parseInt(p);
                    if (page < 0) {
                        throw badPages(text, "page numbers start at 0");
                    }
                    pages.add(page);
                }
            } catch (NumberFormatException e) {
                throw badPages(text, "'" + p + "' is not a page number or a range like 1-3");
            }
        }
        return new ArrayList<>(pages);
    }

    private static ApiException badPages(String text, String problem) {
        return ApiException.badRequest("Wrong parameters: page_numbers '" + text + "': " + problem);
    }
}
