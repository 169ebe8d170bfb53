package io.yaptide.store.simulations;

import java.time.Instant;

/**
 * One simulation as a list of simulations shows it (the admin command {@code list-simulations}):
 * the {@code Simulation} row's own columns only, without the variant tables' columns
 * ({@code merge_id}, the batch job's directory and ids), which no listing prints. Reading them cost
 * one index probe of {@code CelerySimulation} per row: for a user's 900 simulations, 3,600 of the
 * query's 4,500 buffer visits.
 */
public record SimulationListing(long id, String jobId, Long userId, Instant startTime, Instant endTime, String title,
                                Platform platform, JobState state) {
}
