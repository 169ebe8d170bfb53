package io.yaptide.store.bench;

import io.yaptide.store.cli.Main;
import io.yaptide.store.config.DatabaseUrl;
import io.yaptide.store.db.Database;
import io.yaptide.store.users.AuthProvider;
import io.yaptide.store.users.User;
import io.yaptide.store.users.UserStore;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code list_simulations_1m}: listing at the size of a big deployment (see {@link MillionSimulations}
 * for the data), over loopback HTTP as the front end asks, one connection:
 * <ul>
 *   <li>{@code GET /user/simulations} for {@value MillionSimulations#USER} (900 simulations), every
 *   order the API offers ({@code order_by} start_time / end_time, {@code order_type} ascend / descend),
 *   the first, middle and last page of 10, with and without the v2.6 front end's {@code job_state}
 *   filter: {@code list_simulations_1m_p99_ms} over all of them, timed once the JIT has settled
 *   (as in a service that has been running), and {@code list_simulations_1m_cold_p99_ms} just after the
 *   service started (two untimed rounds first, as earlier rounds measured it);</li>
 *   <li>the same for {@value MillionSimulations#BIG_USER} (100,000 simulations, 10,000 pages):
 *   {@code list_simulations_1m_big_user_p99_ms}, and its last pages alone;</li>
 *   <li>{@code GET /jobs?job_id=} (status, with the follow-the-tasks statement and the 10 tasks) of
 *   random simulations of that user: {@code list_simulations_1m_jobs_status_p99_ms};</li>
 *   <li>the admin command {@code list-simulations --user U}, run in this JVM as {@code bin/yaptide}
 *   runs it (its JVM start is {@code cli_startup}'s business): {@code list_simulations_1m_cli_p99_ms};
 *   and the new connection each run opens, alone: {@code list_simulations_1m_cli_connect_p99_ms}.</li>
 * </ul>
 * PostgreSQL only (the figure is about PostgreSQL at that size); on SQLite it prints nothing.
 */
final class ListSimulations1m implements Workload {
    private static final String STATES = "PENDING,RUNNING,COMPLETED,FAILED,CANCELED";
    private static final int PAGE_SIZE = 10;
    /** The JIT warm-up's bounds, in seconds (scaled by bench.scale as every duration here). */
    private static final double WARMUP_MIN_SECONDS = 30;
    private static final double WARMUP_MAX_SECONDS = 120;

    @Override
    public void run(BenchContext ctx, Figures out) throws Exception {
        if (!ctx.db().isPostgres()) {
            System.err.println("bench: list_simulations_1m runs on PostgreSQL only; skipped");
            return;
        }
        int repeats = (int) Math.max(2, Math.round(20 * Stopwatch.scale()));
        DatabaseUrl url = MillionSimulations.urlBeside(ctx.db().url());
        MillionSimulations.Shape shape = MillionSimulations.Shape.current();
        MillionSimulations.Opened opened = MillionSimulations.open(ctx.db(), url, shape);
        if (opened.generationSeconds() > 0) {
            out.print("list_simulations_1m_generate_s", opened.generationSeconds(), "s");
        }
        try (BenchContext big = new BenchContext(opened::db, ctx.fixture("."));
             HttpBench bench = new HttpBench(big);
             LoopbackClient client = new LoopbackClient(bench.server.baseUrl())) {
            UserStore users = new UserStore(opened.db());
            User user = users.find(MillionSimulations.USER, AuthProvider.YAPTIDE).orElseThrow();
            User bigUser = users.find(MillionSimulations.BIG_USER, AuthProvider.YAPTIDE).orElseThrow();
            int userPages = shape.perUser() / PAGE_SIZE;
            int bigPages = shape.bigUserSimulations() / PAGE_SIZE;

            // Just after the service started, as every earlier round measured it: two untimed rounds, then the timed ones.
            pages(client, bench.cookieFor(user), userPages, 2, false);
            List<Long> coldTimes = pages(client, bench.cookieFor(user), userPages, repeats, false);
            out.print("list_simulations_1m_cold_p99_ms", p99(coldTimes), "ms");
            out.print("list_simulations_1m_cold_p50_ms", p50(coldTimes), "ms");
            // Then as in a service that has been running: every request of the workload, round after
            // round, until the JIT has compiled them and stopped (C2 compiles in bursts for a minute or
            // more on 2 cores, see Stopwatch.untilCompiled); the CLI is not in it (each command is a new JVM).
            String statusCookie = "Cookie: " + bench.cookieFor(user) + "\r\n";
            Random warmRandom = new Random(7);
            double warmup = Stopwatch.untilCompiled(WARMUP_MIN_SECONDS, WARMUP_MAX_SECONDS, () -> {
                pages(client, bench.cookieFor(user), userPages, 1, false);
                pages(client, bench.cookieFor(bigUser), bigPages, 1, false);
                for (int i = 0; i < 30; i++) {
                    check(client.send("GET", "/jobs?job_id=list1m-" + typicalUsersSimulation(shape, warmRandom), statusCookie, null),
                            "job_tasks_status");
                }
                return "one round of every request";
            });
            out.print("list_simulations_1m_warmup_s", warmup, "s");
            List<Long> userTimes = pages(client, bench.cookieFor(user), userPages, repeats, false);
            out.print("list_simulations_1m_p99_ms", p99(userTimes), "ms");
            out.print("list_simulations_1m_p50_ms", p50(userTimes), "ms");
            pages(client, bench.cookieFor(bigUser), bigPages, 2, false);
            List<Long> bigTimes = pages(client, bench.cookieFor(bigUser), bigPages, repeats, false);
            out.print("list_simulations_1m_big_user_p99_ms", p99(bigTimes), "ms");
            out.print("list_simulations_1m_big_user_p50_ms", p50(bigTimes), "ms");
            List<Long> lastTimes = pages(client, bench.cookieFor(bigUser), bigPages, repeats, true);
            out.print("list_simulations_1m_big_user_last_page_p99_ms", p99(lastTimes), "ms");
            out.print("list_simulations_1m_big_user_last_page_p50_ms", p50(lastTimes), "ms");

            Random random = new Random(42);
            String cookie = "Cookie: " + bench.cookieFor(user) + "\r\n";
            List<Long> status = new ArrayList<>();
            for (int i = 0; i < 30 * repeats; i++) {
                long t0 = System.nanoTime();
                LoopbackClient.Response r = client.send("GET", "/jobs?job_id=list1m-" + typicalUsersSimulation(shape, random), cookie, null);
                long took = System.nanoTime() - t0;
                check(r, "job_tasks_status");
                if (i >= 20) {
                    status.add(took);
                }
            }
            out.print("list_simulations_1m_jobs_status_p99_ms", p99(status), "ms");
            out.print("list_simulations_1m_jobs_status_p50_ms", p50(status), "ms");

            String[] args = {"--db", url.render(true), "list-simulations", "--user", MillionSimulations.USER};
            PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
            int cliRuns = Math.max(3, repeats / 2);
            List<Long> cli = timedCalls(2, cliRuns, () -> {
                int code = Main.run(args, sink, sink);
                if (code != 0) {
                    throw new IllegalStateException("list-simulations --user exited with " + code);
                }
            });
            out.print("list_simulations_1m_cli_p99_ms", p99(cli), "ms");
            out.print("list_simulations_1m_cli_p50_ms", p50(cli), "ms");

            // The floor under the command: the new connection every run opens (TCP, start-up, the
            // SCRAM login), timed alone as many times, as the command opens it, and closed again.
            List<Long> connects = timedCalls(2, cliRuns, () -> Database.openSingleConnection(url).close());
            out.print("list_simulations_1m_cli_connect_p99_ms", p99(connects), "ms");
            out.print("list_simulations_1m_cli_connect_p50_ms", p50(connects), "ms");
        }
    }

    /** The nanoseconds of each of {@code timed} calls of {@code call}, after {@code untimed} calls. */
    private static List<Long> timedCalls(int untimed, int timed, Stopwatch.Action call) throws Exception {
        List<Long> times = new ArrayList<>(timed);
        for (int i = 0; i < untimed + timed; i++) {
            long t0 = System.nanoTime();
            call.run();
            long took = System.nanoTime() - t0;
            if (i >= untimed) {
                times.add(took);
            }
        }
        return times;
    }

    /** A random one of the typical user's simulations: MillionSimulations' ids 100,001 + k * 1,000 (in the full shape). */
    private static long typicalUsersSimulation(MillionSimulations.Shape shape, Random random) {
        return shape.bigUserSimulations() + 1 + (long) random.nextInt(shape.perUser()) * shape.users();
    }

    /** Every order, first / middle / last page (or the last pages only), with and without the state filter. */
    private static List<Long> pages(LoopbackClient client, String cookie, int pageCount, int repeats, boolean lastOnly)
            throws Exception {
        List<Long> took = new ArrayList<>();
        int[] pages = lastOnly ? new int[] {pageCount, pageCount - 1} : new int[] {1, pageCount / 2, pageCount};
        for (int r = 0; r < repeats; r++) {
            for (String by : new String[] {"start_time", "end_time"}) {
                for (String type : new String[] {"ascend", "descend"}) {
                    for (int page : pages) {
                        for (boolean filter : new boolean[] {false, true}) {
                            String path = "/user/simulations?page_size=" + PAGE_SIZE + "&page_idx=" + page + "&order_by=" + by
                                    + "&order_type=" + type + (filter ? "&job_state=" + STATES : "");
                            long t0 = System.nanoTime();
                            LoopbackClient.Response resp = client.send("GET", path, "Cookie: " + cookie + "\r\n", null);
                            took.add(System.nanoTime() - t0);
                            check(resp, "\"simulations_count\"");
                        }
                    }
                }
            }
        }
        return took;
    }

    private static void check(LoopbackClient.Response r, String expected) {
        if (r.status() != 200 || !r.text().contains(expected)) {
            throw new IllegalStateException("answered " + r.status() + ": " + r.text());
        }
    }

    private static double p50(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return HttpTaskUpdatesRealistic.percentile(sorted, 0.50) / 1e6;
    }

    private static double p99(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return HttpTaskUpdatesRealistic.percentile(sorted, 0.99) / 1e6;
    }
}
