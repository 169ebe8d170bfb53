package io.yaptide.store.simulations;

import java.util.Arrays;
import java.util.Optional;

/** How the input of a simulation was given: the web editor's project JSON, or uploaded input files. */
public enum InputType {
    EDITOR, FILES;

    public static Optional<InputType> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(s -> s.name().equalsIgnoreCase(text.strip())).findFirst();
    }
}
