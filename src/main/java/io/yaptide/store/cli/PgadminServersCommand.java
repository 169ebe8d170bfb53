package io.yaptide.store.cli;

import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.ops.PgadminServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code yaptide db pgadmin-servers}: the seed's "register server" step in pgAdmin as one generated file. */
@Command(name = "pgadmin-servers", description = {
        "Print a pgAdmin servers.json that registers the configured PostgreSQL database.",
        "No password is written (pgAdmin never imports one): pgAdmin asks on the first connection, or reads the "
                + "passfile named with --passfile. --write-passfile FILE writes that file (mode 600) from the URL's password.",
        "Example: bin/yaptide db pgadmin-servers > servers.json, then PGADMIN_SERVER_JSON_FILE=/path/servers.json."})
final class PgadminServersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--passfile", paramLabel = "PATH",
            description = "Path of a .pgpass file as pgAdmin will see it (ConnectionParameters.passfile).")
    String passfile;

    @Option(names = "--write-passfile", paramLabel = "FILE",
            description = "Also write FILE in .pgpass format with the URL's password (mode 600), for pgAdmin to read.")
    Path writePassfile;

    @Override
    public Integer call() {
        DatabaseUrl url = Main.globalOf(spec).resolvedUrl().url();
        String json;
        try {
            json = PgadminServers.json(url, passfile);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.ABORTED, e.getMessage());
        }
        if (writePassfile != null) {
            if (url.password().isEmpty()) {
                throw new CliException(ExitCode.USAGE, "--write-passfile: the database URL " + url + " has no password to write");
            }
            write(writePassfile, PgadminServers.pgpassLine(url) + "\n");
        }
        spec.commandLine().getOut().println(json);
        return ExitCode.OK;
    }

    private static void write(Path file, String text) {
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new CliException(ExitCode.ABORTED, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
