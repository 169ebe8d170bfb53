package io.yaptide.store.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.yaptide.store.dispatch.Dispatcher;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The counting wrapper passes on every call a dispatcher takes, default methods included. */
class CountingDispatcherTest {

    @Test
    void everyDispatcherMethodIsDelegated() throws Exception {
        for (Method m : Dispatcher.class.getMethods()) {
            if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Method own = CountingDispatcher.class.getMethod(m.getName(), m.getParameterTypes());
            assertThat(own.getDeclaringClass()).as(m.getName() + Arrays.toString(m.getParameterTypes()))
                    .isEqualTo(CountingDispatcher.class);
        }
    }
}
