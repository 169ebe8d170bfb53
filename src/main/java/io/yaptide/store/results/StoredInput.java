package io.yaptide.store.results;

/** The submitted input of a simulation (editor JSON or input files). */
public record StoredInput(long id, long simulationId, Payload data) {
}
