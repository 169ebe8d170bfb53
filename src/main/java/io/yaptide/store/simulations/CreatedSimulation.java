package io.yaptide.store.simulations;

/**
 * A new simulation and its update key. The key is shown once, here: only its hash is stored.
 */
public record CreatedSimulation(Simulation simulation, String updateKey) {
    @Override
    public String toString() {
        return "CreatedSimulation[" + simulation + ", updateKey=***]";
    }
}
