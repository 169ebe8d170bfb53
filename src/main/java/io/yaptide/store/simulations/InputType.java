package io.yaptide.store.simulations;

import java.util.Optional;

/** How the input of a simulation was given: the web editor's project JSON, or uploaded input files. */
public enum InputType {
    EDITOR, FILES;

    public static Optional<InputType> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String name = text.strip();
        for (InputType s : VALUES) { // a loop, not a stream: a list reads this for every row
            if (s.name().equalsIgnoreCase(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static final InputType[] VALUES = values();
}
