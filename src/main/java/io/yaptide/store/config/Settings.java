package io.yaptide.store.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the configuration comes from, in one place.
 *
 * <p>The database URL is taken from, in order: the {@code --db} option, {@code YAPTIDE_DATABASE_URL},
 * {@code FLASK_SQLALCHEMY_DATABASE_URI} (the original's variable, so operators' environments keep
 * working), else the embedded default, an SQLite file {@code data/yaptide.db} under the working
 * directory (or {@code YAPTIDE_DATA_DIR}).
 */
public final class Settings {

    public static final String ENV_DATABASE_URL = "YAPTIDE_DATABASE_URL";
    public static final String ENV_FLASK_DATABASE_URI = "FLASK_SQLALCHEMY_DATABASE_URI";
    public static final String ENV_DATA_DIR = "YAPTIDE_DATA_DIR";
    public static final String DEFAULT_DATA_DIR = "data";

    private Settings() {
    }

    /** Where the effective database URL came from, for messages like "db url". */
    public enum Source { OPTION, YAPTIDE_DATABASE_URL, FLASK_SQLALCHEMY_DATABASE_URI, EMBEDDED_DEFAULT }

    public record ResolvedUrl(DatabaseUrl url, Source source) {
    }

    public static ResolvedUrl resolveDatabaseUrl(String option, Map<String, String> env) {
        if (option != null && !option.isBlank()) {
            return new ResolvedUrl(DatabaseUrl.parse(option), Source.OPTION);
        }
        String yaptide = env.get(ENV_DATABASE_URL);
        if (yaptide != null && !yaptide.isBlank()) {
            return new ResolvedUrl(DatabaseUrl.parse(yaptide), Source.YAPTIDE_DATABASE_URL);
        }
        String flask = env.get(ENV_FLASK_DATABASE_URI);
        if (flask != null && !flask.isBlank()) {
            return new ResolvedUrl(DatabaseUrl.parse(flask), Source.FLASK_SQLALCHEMY_DATABASE_URI);
        }
        String dataDir = env.getOrDefault(ENV_DATA_DIR, DEFAULT_DATA_DIR);
        return new ResolvedUrl(DatabaseUrl.embeddedDefault(Path.of(dataDir)), Source.EMBEDDED_DEFAULT);
    }
}
