package io.yaptide.store.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void theRootIsTheInnermostCauseAndItsMessageTheFirstLine() {
        SQLException sql = new SQLException("connection refused\n  Detail: the row (secret)", "08001",
                new ConnectException("Connection refused"));
        RuntimeException wrapped = new IllegalStateException("outer", new RuntimeException("middle", sql));

        assertThat(Causes.root(wrapped)).isInstanceOf(ConnectException.class);
        assertThat(Causes.rootMessage(wrapped)).isEqualTo("Connection refused");
        assertThat(Causes.has(wrapped, SQLException.class)).isTrue();
        assertThat(Causes.has(wrapped, IOException.class)).isTrue();
        assertThat(Causes.has(wrapped, ArithmeticException.class)).isFalse();
        assertThat(Causes.chain(wrapped)).hasSize(4);
    }

    @Test
    void aCauseWithoutMessageIsNamedByItsClass() {
        assertThat(Causes.rootMessage(new RuntimeException("outer", new NullPointerException()))).isEqualTo("NullPointerException");
    }

    @Test
    void aChainThatLoopsEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b); // a -> b -> a -> ...

        assertThat(Causes.chain(a)).hasSize(Causes.MAX_DEPTH);
        assertThat(Causes.root(a)).isIn(a, b);
        assertThat(SqlErrors.classify(a)).isEqualTo(SqlErrors.Kind.OTHER);
    }

    @Test
    void theClassifierTellsAMissingTableFromAMissingColumnAndATimeout() {
        assertThat(SqlErrors.classify(new RuntimeException(new SQLException("relation \"User\" does not exist", "42P01"))))
                .isEqualTo(SqlErrors.Kind.MISSING_SCHEMA);
        assertThat(SqlErrors.classify(new SQLException("[SQLITE_ERROR] SQL error or missing database (no such column: update_key_hash)")))
                .isEqualTo(SqlErrors.Kind.OUTDATED_SCHEMA);
        assertThat(SqlErrors.classify(new SQLException("canceling statement due to statement timeout", "57014")))
                .isEqualTo(SqlErrors.Kind.TIMED_OUT);
        assertThat(SqlErrors.sqlMessage(new RuntimeException(new SQLException("no such table: Task\nmore"))))
                .isEqualTo("no such table: Task");
        assertThat(SqlErrors.describe(new RuntimeException(new SQLException("x", "57P01"))))
                .isEqualTo("java.sql.SQLException SQLSTATE 57P01");
    }

    @Test
    void aFailedConnectionSaysWhy() {
        assertThat(SqlErrors.connectFailure(new SQLException("password authentication failed", "28P01")))
                .isEqualTo(SqlErrors.ConnectFailure.LOGIN_REFUSED);
        assertThat(SqlErrors.connectFailure(new SQLException("database \"x\" does not exist", "3D000")))
                .isEqualTo(SqlErrors.ConnectFailure.NO_SUCH_DATABASE);
        assertThat(SqlErrors.connectFailure(new SQLException("refused", null, new ConnectException("refused"))))
                .isEqualTo(SqlErrors.ConnectFailure.UNREACHABLE);
        assertThat(SqlErrors.connectFailure(new SQLException("something else", "XX000")))
                .isEqualTo(SqlErrors.ConnectFailure.OTHER);
    }
}
