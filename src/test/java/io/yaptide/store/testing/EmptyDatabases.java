package io.yaptide.store.testing;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;

/** Supplies {@link EmptyDatabaseTest}: one empty database per engine. */
public final class EmptyDatabases implements ArgumentsProvider {
    @Override
    public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
        return Arrays.stream(Engine.values()).map(e -> Arguments.of(TestDatabases.empty(e)));
    }
}
