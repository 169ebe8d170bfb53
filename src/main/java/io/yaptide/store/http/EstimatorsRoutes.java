package io.yaptide.store.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.yaptide.store.results.ResultStore;
import io.yaptide.store.simulations.Simulation;
import io.yaptide.store.simulations.SimulationStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /estimators?job_id=}: the original's listing since the seed, which the front end from
 * v2.4 reads before asking for results page by page: each estimator's shown name with its pages'
 * number, name and dimension, from the Page columns (no payload is read). 404 when the job has no
 * results yet.
 */
final class EstimatorsRoutes {
    private final ResultStore results;
    private final Authenticator auth;
    private final JobAccess access;

    EstimatorsRoutes(SimulationStore simulations, ResultStore results, Authenticator auth) {
        this.results = results;
        this.auth = auth;
        this.access = new JobAccess(simulations);
    }

    void register(Javalin app) {
        app.get("/estimators", ctx -> StandbyReads.run(ctx, this::list));
    }

    private void list(Context ctx) {
        Simulation simulation = access.owned(ctx, auth.user(ctx));
        List<ResultStore.EstimatorMetadata> estimators = results.estimatorsMetadata(simulation.id());
        if (estimators.isEmpty()) {
            throw new ApiException(404, "Pages metadata not found");
        }
        List<Map<String, Object>> listed = estimators.stream().map(EstimatorsRoutes::estimator).toList();
        Reply.send(ctx, 200, "Estimators metadata", Reply.content("estimators_metadata", listed));
    }

    private static Map<String, Object> estimator(ResultStore.EstimatorMetadata estimator) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", estimator.name());
        out.put("pages_metadata", estimator.pages().stream().map(p -> {
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("page_number", p.pageNumber());
            page.put("page_name", p.pageName());
            page.put("page_dimension", p.pageDimension());
            return page;
        }).toList());
        return out;
    }
}
