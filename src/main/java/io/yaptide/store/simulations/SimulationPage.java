package io.yaptide.store.simulations;

import java.util.List;

/** One page of a user's simulations and the total number they have. */
public record SimulationPage(List<Simulation> simulations, long total, int pageIdx, int pageSize) {
    public int pageCount() {
        return pageSize <= 0 ? 0 : (int) ((total + pageSize - 1) / pageSize);
    }
}
