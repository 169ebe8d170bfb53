package io.yaptide.store.http;

import io.yaptide.store.simulations.SimulationStore;

/**
 * Worker authentication: the update key of that very simulation, checked by the store's
 * {@code UpdateKeys} (an indexed read and a SHA-256), which also tells "no such simulation" from
 * "wrong key"; the answers are the original's (both 400).
 */
final class WorkerKeys {
    private final SimulationStore simulations;

    WorkerKeys(SimulationStore simulations) {
        this.simulations = simulations;
    }

    void check(long simulationId, String updateKey, String missingMessage) {
        switch (simulations.updateKeys().check(simulationId, updateKey)) {
            case ACCEPTED -> { }
            case NO_SUCH_SIMULATION -> throw ApiException.badRequest(missingMessage);
            case WRONG_KEY -> throw ApiException.badRequest("Invalid update key");
        }
    }
}
