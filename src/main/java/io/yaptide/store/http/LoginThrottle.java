package io.yaptide.store.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@link #FREE_FAILURES} failed logins for one username, or
 * {@link #FREE_FAILURES_PER_ADDRESS} from one address, each further attempt must wait, twice as long after each failure, at most
 * {@link #MAX_WAIT}; an attempt too early is answered 429 with {@code Retry-After} without checking
 * the password. A success clears the username's count. The real user is kept out for at most a
 * minute after an attacker's last try. Counts are in memory, per service process, and forgotten
 * {@link #FORGET_AFTER} after the last failure.
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    /** An address may be shared by many users (a NAT): it gets more failures before it waits. */
    static final int FREE_FAILURES_PER_ADDRESS = 20;
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    /** Bounds the memory an attacker can make us spend on counters. */
    static final int MAX_ENTRIES = 100_000;

    private record Failures(int count, Instant last) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** 429 with Retry-After if the username or the address must wait. */
    void check(io.javalin.http.Context ctx, String username, String address) {
        long wait = Math.max(waitSeconds("u:" + username.toLowerCase(Locale.ROOT), FREE_FAILURES),
                waitSeconds("a:" + address, FREE_FAILURES_PER_ADDRESS));
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new ApiException(429, "Too many failed logins; try again in " + wait + " s");
        }
    }

    void failed(String username, String address) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_ENTRIES) {
            failures.values().removeIf(f -> f.last().plus(FORGET_AFTER).isBefore(now));
            if (failures.size() >= MAX_ENTRIES) {
                failures.clear(); // under a flood of names, forgetting beats running out of memory
            }
        }
        for (String key : new String[] {"u:" + username.toLowerCase(Locale.ROOT), "a:" + address}) {
            failures.merge(key, new Failures(1, now), (old, one) -> new Failures(
                    old.last().plus(FORGET_AFTER).isBefore(now) ? 1 : old.count() + 1, now));
        }
    }

    void succeeded(String username) {
        failures.remove("u:" + username.toLowerCase(Locale.ROOT));
    }

    private long waitSeconds(String key, int free) {
        Failures f = failures.get(key);
        if (f == null || f.count() < free) {
            return 0;
        }
        long exponent = Math.min(20, f.count() - free);
        long seconds = Math.min(MAX_WAIT.toSeconds(), FIRST_WAIT.toSeconds() << exponent);
        Instant allowed = f.last().plusSeconds(seconds);
        Instant now = clock.instant();
        return allowed.isAfter(now) ? Math.max(1, Duration.between(now, allowed).toSeconds()) : 0;
    }
}
