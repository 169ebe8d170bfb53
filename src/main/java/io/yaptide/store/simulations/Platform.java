package io.yaptide.store.simulations;

/** Where a simulation runs; the discriminator of {@code Simulation.platform} and {@code Task.platform}. */
public enum Platform {
    /** Run by workers of the platform itself (the original's Celery workers). */
    DIRECT,
    /** Run as a job array on a batch cluster. */
    BATCH
}
