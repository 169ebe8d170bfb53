package io.yaptide.store.simulations;

import java.util.Optional;

/** The simulator a job is for; stored lower case in {@code Simulation.sim_type}, as the original does. */
public enum SimulatorType {
    SHIELDHIT("shieldhit"), TOPAS("topas"), FLUKA("fluka"), DUMMY("dummy");

    private final String dbValue;

    SimulatorType(String dbValue) {
        this.dbValue = dbValue;
    }

    public String dbValue() {
        return dbValue;
    }

    public static Optional<SimulatorType> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String name = text.strip();
        for (SimulatorType s : VALUES) { // a loop, not a stream: a list reads this for every row
            if (s.dbValue.equalsIgnoreCase(name) || s.name().equalsIgnoreCase(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static final SimulatorType[] VALUES = values();

    public static SimulatorType fromDb(String value) {
        return parse(value).orElseThrow(() -> new IllegalStateException("unknown sim_type in the database: " + value));
    }
}
