package io.yaptide.store.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yaptide.store.testing.DatabaseTest;
import io.yaptide.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** The plain-JDBC statement of hot paths: parameters by name, on both engines. */
class NamedStatementTest {

    @Test
    void namedParametersBecomePositionalAndColonsInLiteralsStayText() {
        NamedStatement s = new NamedStatement(
                "UPDATE t SET a = :a, b = strftime('%H:%M:%f', 'now') WHERE id = :id AND a <> :a");
        assertThat(s.positionalSql()).isEqualTo("UPDATE t SET a = ?, b = strftime('%H:%M:%f', 'now') WHERE id = ? AND a <> ?");
    }

    @Test
    void aCastIsRefusedRatherThanGuessedAt() {
        assertThatThrownBy(() -> new NamedStatement("SELECT :a::text"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cast");
    }

    @DatabaseTest
    void runsOnAPooledConnectionBindingEveryOccurrenceOfAName(TestDatabase db) {
        db.jdbi().useHandle(h -> {
            h.execute("CREATE TABLE named_probe (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER)");
            h.execute("INSERT INTO named_probe (id, a, b) VALUES (1, 0, 0), (2, 0, 0)");
        });
        NamedStatement update = new NamedStatement("UPDATE named_probe SET a = :v, b = :v + 1 WHERE id = :id");

        int count = update.executeUpdate(db.database(), name -> switch (name) {
            case "v" -> (ps, i) -> ps.setInt(i, 7);
            case "id" -> (ps, i) -> ps.setInt(i, 2);
            default -> throw new IllegalStateException(name);
        });

        assertThat(count).isEqualTo(1);
        java.util.List<Integer> rows = db.jdbi().withHandle(h -> h.createQuery("SELECT a * 100 + b FROM named_probe ORDER BY id")
                .mapTo(Integer.class).list());
        assertThat(rows).containsExactly(0, 708);
    }
}
