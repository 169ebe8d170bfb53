package io.yaptide.store.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

class DeadlockRetryTest {

    private static UnableToExecuteStatementException failure(String sqlState) {
        return new UnableToExecuteStatementException(new SQLException("aborted", sqlState), null);
    }

    @Test
    void aTransactionAbortedByADeadlockRunsAgain() {
        AtomicInteger attempts = new AtomicInteger();

        String result = DeadlockRetry.run(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw failure(attempts.get() == 1 ? "40P01" : "40001");
            }
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> DeadlockRetry.run(() -> {
            attempts.incrementAndGet();
            throw failure("23505");
        })).isInstanceOf(UnableToExecuteStatementException.class);

        assertThat(attempts).hasValue(1);
    }

    @Test
    void aDeadlockThatPersistsIsReportedAfterTheLastAttempt() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> DeadlockRetry.run(() -> {
            attempts.incrementAndGet();
            throw failure("40P01");
        })).isInstanceOf(UnableToExecuteStatementException.class);

        assertThat(attempts).hasValue(DeadlockRetry.ATTEMPTS);
    }
}
