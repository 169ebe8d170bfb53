package io.yaptide.store.cli;

/** A command ends with this message and exit code; no stack trace is shown. */
class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
