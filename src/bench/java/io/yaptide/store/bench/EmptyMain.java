package io.yaptide.store.bench;

/** A main class that does nothing: {@code cli_startup}'s reference, what a JVM costs to start and stop. */
public final class EmptyMain {
    private EmptyMain() {
    }

    public static void main(String[] args) {
        // nothing: the time of this process is the JVM's alone
    }
}
