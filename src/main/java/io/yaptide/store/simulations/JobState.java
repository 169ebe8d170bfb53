package io.yaptide.store.simulations;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The state of a simulation or a task, as the original spells it, and the one definition of which
 * states are final. The stores' guarded statements use the SQL lists below, the Java checks the
 * methods, so the two can never disagree.
 */
public enum JobState {
    UNKNOWN, PENDING, RUNNING, MERGING_QUEUED, MERGING_RUNNING, CANCELED, COMPLETED, FAILED;

    /** COMPLETED, FAILED and CANCELED are final: nothing changes the state after them. */
    public static final Set<JobState> TERMINAL = Collections.unmodifiableSet(EnumSet.of(COMPLETED, FAILED, CANCELED));

    /**
     * The terminal states and UNKNOWN (created, never submitted): nothing drives such a job, so it
     * can be neither cancelled nor follow its tasks.
     */
    public static final Set<JobState> SETTLED = Collections.unmodifiableSet(EnumSet.of(UNKNOWN, COMPLETED, FAILED, CANCELED));

    /**
     * States in which a user may delete their simulation: the terminal ones and the merging ones
     * (the tasks have ended; the original allows it).
     */
    public static final Set<JobState> DELETABLE =
            Collections.unmodifiableSet(EnumSet.of(COMPLETED, FAILED, CANCELED, MERGING_QUEUED, MERGING_RUNNING));

    /** {@link #TERMINAL} as an SQL list for {@code job_state IN ...} / {@code task_state NOT IN ...}. */
    public static final String TERMINAL_SQL = sqlList(TERMINAL);
    /** {@link #SETTLED} as an SQL list. */
    public static final String SETTLED_SQL = sqlList(SETTLED);
    /** {@link #DELETABLE} as an SQL list. */
    public static final String DELETABLE_SQL = sqlList(DELETABLE);

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    /** See {@link #SETTLED}. */
    public boolean isSettled() {
        return SETTLED.contains(this);
    }

    public static Optional<JobState> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String name = text.strip();
        for (JobState s : VALUES) { // a loop, not a stream: a list reads this for every row
            if (s.name().equalsIgnoreCase(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static final JobState[] VALUES = values();

    /** {@code ('A', 'B')}: state names are code constants, never input, so they may be spliced into SQL. */
    private static String sqlList(Set<JobState> states) {
        return states.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    }
}
