package io.yaptide.store.simulations;

import java.util.Arrays;
import java.util.Optional;

/** The state of a simulation or a task, as the original spells it. */
public enum JobState {
    UNKNOWN, PENDING, RUNNING, MERGING_QUEUED, MERGING_RUNNING, CANCELED, COMPLETED, FAILED;

    /** COMPLETED, FAILED and CANCELED are final: nothing changes the state after them. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELED;
    }

    public static Optional<JobState> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(s -> s.name().equalsIgnoreCase(text.strip())).findFirst();
    }
}
