package io.yaptide.store.dispatch.celery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import io.yaptide.store.config.RedisUrl;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.JedisPooled;

/**
 * The Redis side of Celery: the broker (task queues as lists, control commands on the pidbox
 * channel) and the result backend (task states under {@code celery-task-meta-<id>}, a chord's size
 * under {@code celery-taskset-meta-<group>.s}), with Jedis.
 */
final class CeleryBroker implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A day, as Celery's default {@code result_expires}. */
    static final long RESULT_TTL_SECONDS = 86_400;
    /** How long the "already published" mark of a job stays (longer than any outbox retry). */
    static final long MARK_TTL_SECONDS = 7 * 86_400;

    /**
     * Publishes a job at most once: if the job's mark is new, sets it, writes the chord size (when
     * the backend is the same Redis) and pushes every task message, all in one atomic step; else
     * does nothing. So a job sent again after a crash between the push and the outbox's "sent" is
     * never seen twice by the workers.
     * KEYS: mark, queue, chord-size key; ARGV: mark ttl, chord size ('' = not here), size ttl, messages...
     */
    private static final String PUBLISH_ONCE = """
            if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
              if ARGV[2] ~= '' then redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[3]) end
              for i = 4, #ARGV do redis.call('LPUSH', KEYS[2], ARGV[i]) end
              return 1
            end
            return 0""";

    private final JedisPooled broker;
    private final JedisPooled backend;
    private final boolean sameRedis;
    private final int brokerDb;

    CeleryBroker(CeleryConfig config) {
        this.broker = pooled(config.brokerUrl());
        this.sameRedis = config.brokerUrl().equals(config.resultBackendUrl());
        this.backend = sameRedis ? broker : pooled(config.resultBackendUrl());
        this.brokerDb = config.brokerUrl().database();
    }

    private static JedisPooled pooled(RedisUrl url) {
        return new JedisPooled(new HostAndPort(url.host(), url.port()), DefaultJedisClientConfig.builder()
                .user(url.user()).password(url.password()).database(url.database()).ssl(url.tls())
                .clientName("yaptide-store-celery").build());
    }

    /** A job's messages: its chord's group, size and header task messages, for one queue. */
    record Publication(String groupId, int chordSize, String queue, List<String> messages) {
    }

    /** @return true if published now, false if it had been published already (nothing pushed) */
    boolean publishOnce(Publication p) {
        String sizeKey = "celery-taskset-meta-" + p.groupId() + ".s";
        if (!sameRedis) {
            // idempotent, and needed before any header task ends
            backend.setex(sizeKey, RESULT_TTL_SECONDS, Integer.toString(p.chordSize()));
        }
        List<String> args = new ArrayList<>();
        args.add(Long.toString(MARK_TTL_SECONDS));
        args.add(sameRedis ? Integer.toString(p.chordSize()) : "");
        args.add(Long.toString(RESULT_TTL_SECONDS));
        args.addAll(p.messages());
        Object r = broker.eval(PUBLISH_ONCE, List.of("yaptide-store-published-" + p.groupId(), p.queue(), sizeKey), args);
        return Long.valueOf(1).equals(r);
    }

    /** Pushes one task message onto a queue. */
    void send(String queue, String message) {
        broker.lpush(queue, message);
    }

    /** Broadcasts a revoke to every worker (kombu's fanout channel for the pidbox exchange). */
    void revoke(List<String> taskIds) {
        if (!taskIds.isEmpty()) {
            broker.publish("/" + brokerDb + ".celery.pidbox", CeleryEnvelope.revoke(taskIds));
        }
    }

    /** A task's state in the result backend ({@code PENDING} is not stored: empty then). */
    Optional<String> taskState(String taskId) {
        String meta = backend.get("celery-task-meta-" + taskId);
        if (meta == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(meta);
            return Optional.ofNullable(node.path("status").asText(null));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        broker.close();
        if (!sameRedis) {
            backend.close();
        }
    }
}
