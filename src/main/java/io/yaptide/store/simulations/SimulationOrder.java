package io.yaptide.store.simulations;

/** How a user's simulation list is ordered (the original's {@code order_by} and {@code order_type}). */
public record SimulationOrder(Field field, boolean descending) {
    public enum Field { START_TIME, END_TIME }

    public static final SimulationOrder NEWEST_FIRST = new SimulationOrder(Field.START_TIME, true);
}
