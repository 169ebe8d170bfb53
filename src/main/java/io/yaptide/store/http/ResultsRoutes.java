package io.yaptide.store.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.yaptide.store.results.Estimator;
import io.yaptide.store.results.EstimatorNames;
import io.yaptide.store.results.EstimatorResult;
import io.yaptide.store.results.ResultPage;
import io.yaptide.store.results.ResultSetCodec;
import io.yaptide.store.results.ResultSetCodec.EstimatorPages;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.simulations.InputType;
import io.yaptide.store.simulations.JobState;
import io.yaptide.store.simulations.Simulation;
import io.yaptide.store.simulations.SimulationStore;
import io.yaptide.store.simulations.SimulationUpdate;
import io.yaptide.store.users.User;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code /results}: workers post a simulation's result set (stored page by page, straight from the
 * request bytes, and the simulation becomes COMPLETED); users read all estimators, one estimator,
 * one page ({@code page_number}) or some pages ({@code page_numbers=1-3,5}). Reads are served from
 * the stored gzip pages without decompressing them when the client accepts gzip ({@link JsonParts}).
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

    ResultsRoutes(SimulationStore simulations, ResultStore results, Authenticator auth, long maxBodyBytes) {
        this.simulations = simulations;
        this.results = results;
        this.auth = auth;
        this.access = new JobAccess(simulations);
        this.keys = new WorkerKeys(simulations);
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Javalin app) {
        app.post("/results", this::store);
        app.get("/results", ctx -> StandbyReads.run(ctx, this::read));
    }

    // ---- workers ----------------------------------------------------------------------------------

    private void store(Context ctx) {
        // the bytes and the compressed pages decoded from them (never a tree): about twice the body
        byte[] body = JsonBody.readBounded(ctx, maxBodyBytes, 2);
        Map<String, Object> envelope = envelope(body);
        if (!envelope.keySet().containsAll(List.of("simulation_id", "update_key", "estimators"))) {
            throw ApiException.badRequest("Incomplete JSON data: simulation_id, update_key and estimators are required");
        }
        if (!(envelope.get("simulation_id") instanceof Long simulationId)) {
            throw ApiException.badRequest("Wrong data provided: simulation_id must be an integer");
        }
        if (!(envelope.get("update_key") instanceof String key)) {
            throw ApiException.badRequest("Wrong data provided: update_key must be a string");
        }
        List<EstimatorResult> estimators;
        try {
            estimators = ResultSetCodec.decode(body);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Wrong data provided: " + e.getMessage());
        }
        keys.check(simulationId, key, "Simulation does not exist");
        if (estimators.isEmpty()) {
            // the original stored nothing and made the job COMPLETED: a finished job without results
            throw ApiException.badRequest("Wrong data provided: estimators must not be empty; a simulation that produced"
                    + " no results should be reported FAILED through POST /tasks");
        }
        if (results.storeResultsAndComplete(simulationId, shownNames(simulationId, estimators), Instant.now())
                == ResultStore.Completion.ALREADY_FINISHED) {
            String state = simulations.findById(simulationId).map(s -> s.state().name()).orElse("finished");
            throw new ApiException(409, "Simulation " + simulationId + " is " + state
                    + " already; its state and results stay as they are");
        }
        Reply.send(ctx, 202, "Results saved");
    }

    /**
     * As the original since the seed: the estimators of a job made in the editor are shown under the
     * project's output names (the simulator's names kept as {@code file_name}); see {@link EstimatorNames}.
     */
    private List<EstimatorResult> shownNames(long simulationId, List<EstimatorResult> posted) {
        boolean editor = simulations.findById(simulationId).map(s -> s.inputType() == InputType.EDITOR).orElse(false);
        if (!editor) {
            return posted;
        }
        List<String> outputs = results.input(simulationId)
                .map(input -> EstimatorNames.outputNames(input.data().json())).orElse(List.of());
        return EstimatorNames.forEditorProject(posted, outputs);
    }

    /**
     * The top-level fields of a worker's body: scalars by value, containers only by presence (their
     * contents are skipped here; the codec reads the estimators once, from the bytes).
     */
    private static Map<String, Object> envelope(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("No JSON in body");
        }
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser p = Reply.JSON.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("JSON body must be an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (value) {
                    case VALUE_NUMBER_INT -> fields.put(name, p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? p.getText() : p.getLongValue());
                    case VALUE_STRING -> fields.put(name, checkedText(p, name));
                    case START_OBJECT, START_ARRAY -> {
                        fields.put(name, value);
                        skipCheckingText(p, name);
                    }
                    default -> fields.put(name, value);
                }
            }
            if (p.nextToken() != null) {
                throw ApiException.badRequest("Malformed JSON in body: unexpected content after the object");
            }
        } catch (JsonParseException e) {
            throw ApiException.badRequest("Malformed JSON in body: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        } catch (JsonProcessingException e) {
            // the parser's limits (number length, nesting depth, name length): the body's fault, as on /tasks
            throw ApiException.badRequest("Malformed JSON in body: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fields;
    }

    /**
     * Skips the container just opened, refusing NUL characters and unpaired surrogates in its strings
     * and field names as {@link TextRules} does for other bodies, without making a String of each.
     */
    private static void skipCheckingText(JsonParser p, String field) throws IOException {
        int depth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return; // the caller's next read reports the truncated body
            }
            switch (t) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case FIELD_NAME, VALUE_STRING -> {
                    String problem = TextRules.problem(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    if (problem != null) {
                        throw ApiException.badRequest("Wrong data provided: " + (t == JsonToken.FIELD_NAME ? "a field name in " : "a string in ")
                                + field + " " + problem);
                    }
                }
                default -> {
                }
            }
        }
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
            List<EstimatorPages> all = results.resultSet(simulation.id());
            if (all.isEmpty()) {
                throw new ApiException(404, "Results are unavailable");
            }
            JsonParts body = JsonParts.envelope("Results for job: " + jobId).text(",\"estimators\":[");
            for (int i = 0; i < all.size(); i++) {
                body.text(i == 0 ? "" : ",");
                estimatorObject(body.text("{"), all.get(i).estimator(), all.get(i).pages()).text("}");
            }
            body.text("]}").send(ctx, 200);
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
        JsonParts body = JsonParts.envelope("Estimator '" + estimatorName + "' for simulation: " + simulation.id()).text(",");
        estimatorObject(body, estimator, results.pages(estimator.id())).text("}").send(ctx, 200);
    }

    private static JsonParts estimatorObject(JsonParts body, Estimator estimator, List<ResultPage> pages) {
        body.text("\"metadata\":").stored(estimator.metadata())
                .text(",\"name\":").value(estimator.name())
                .text(",\"pages\":[");
        return pageList(body, pages).text("]");
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
