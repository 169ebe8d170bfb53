package io.yaptide.store.http;

import io.yaptide.store.simulations.SimulationStore;

/**
 * Worker authentication: the update key of that very simulation. The check is the store's fast
 * one (an indexed read and a SHA-256); only a failed check costs a second read, to tell "no such
 * simulation" from "wrong key" as the original's answers do (both 400).
 */
final class WorkerKeys {
    private final SimulationStore simulations;

    WorkerKeys(SimulationStore simulations) {
        this.simulations = simulations;
    }

    void check(long simulationId, String updateKey, String missingMessage) {
        if (simulations.checkUpdateKey(simulationId, updateKey)) {
            return;
        }
        if (simulations.findById(simulationId).isEmpty()) {
            throw ApiException.badRequest(missingMessage);
        }
        throw ApiException.badRequest("Invalid update key");
    }
}
