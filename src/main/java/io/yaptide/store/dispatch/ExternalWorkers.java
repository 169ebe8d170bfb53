package io.yaptide.store.dispatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulators this service does not run (SHIELD-HIT12A, TOPAS, FLUKA): the job stays PENDING until an
 * external worker reports on it, with an update key the operator issues by
 * {@code bin/yaptide rotate-update-key} (only the key's hash is stored, so the one made at
 * submission cannot be handed out later).
 */
public final class ExternalWorkers implements Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalWorkers.class);

    @Override
    public void submit(Submission submission) {
        LOG.info("{} waits PENDING for an external worker; issue its key with: bin/yaptide rotate-update-key {}",
                submission, submission.jobId());
    }

    @Override
    public void cancel(long simulationId) {
        // nothing runs here; an external worker's updates are refused once the job is CANCELED
    }

    @Override
    public void close() {
    }
}
