package io.yaptide.store.results;

/** Log files of a simulation, as a JSON object of file name to contents. */
public record StoredLogfiles(long id, long simulationId, Payload data) {
}
