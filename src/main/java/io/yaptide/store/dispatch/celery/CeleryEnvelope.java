package io.yaptide.store.dispatch.celery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The Celery messages this service publishes, written by hand: no maintained Java library speaks
 * Celery's protocol. Celery task message protocol 2 with the JSON serializer, as kombu's Redis
 * transport stores it (a JSON envelope whose {@code body} is base64 of the JSON body), checked
 * against Debian's Celery 5.2 worker by the tests.
 *
 * <ul>
 *   <li>A task message: body {@code [args, kwargs, embed]}, embed {@code {callbacks, errbacks, chain,
 *       chord}}; headers {@code lang, task, id, group, group_index, root_id, ...}; pushed (LPUSH) onto
 *       the queue's list, which workers pop from the other end.</li>
 *   <li>A signature (the chord's body): {@code {task, args, kwargs, options, subtask_type, immutable}};
 *       a chain is the signature of {@code celery.chain} with {@code kwargs.tasks}.</li>
 *   <li>A control command (revoke): body {@code {method, arguments, destination, pattern, matcher}},
 *       published on the {@code celery.pidbox} fanout channel.</li>
 * </ul>
 */
final class CeleryEnvelope {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Shown as the message's origin (Celery shows it in its logs). */
    private static final String ORIGIN = "yaptide-store";

    private CeleryEnvelope() {
    }

    /** A task's signature, with its id frozen, for a chord body or chain. */
    static ObjectNode signature(String task, String taskId, String queue) {
        ObjectNode s = F.objectNode();
        s.put("task", task);
        s.putArray("args");
        s.putObject("kwargs");
        s.putObject("options").put("queue", queue).put("task_id", taskId);
        s.putNull("subtask_type");
        s.put("immutable", false);
        return s;
    }

    /** {@code chain(a, b, ...)}: runs each after the other, each given the previous one's result. */
    static ObjectNode chain(List<ObjectNode> tasks) {
        ObjectNode s = F.objectNode();
        s.put("task", "celery.chain");
        s.putArray("args");
        ArrayNode list = s.putObject("kwargs").putArray("tasks");
        tasks.forEach(list::add);
        s.putObject("options");
        s.put("subtask_type", "chain");
        s.put("immutable", false);
        return s;
    }

    /**
     * A task message for the queue's list.
     *
     * @param group      the group id of a chord's header task, else null
     * @param groupIndex its place in the group (the chord's results come in this order), else null
     * @param chord      the chord body this task is part of (the signature run when the group ends), else null
     */
    static String task(String task, String id, ObjectNode kwargs, String queue, String group, Integer groupIndex,
                       ObjectNode chord) {
        ArrayNode body = F.arrayNode();
        body.addArray();
        body.add(kwargs);
        ObjectNode embed = body.addObject();
        embed.putNull("callbacks");
        embed.putNull("errbacks");
        embed.putNull("chain");
        embed.set("chord", chord == null ? F.nullNode() : chord);

        ObjectNode headers = F.objectNode();
        headers.put("lang", "py");
        headers.put("task", task);
        headers.put("id", id);
        headers.putNull("shadow");
        headers.putNull("eta");
        headers.putNull("expires");
        headers.put("group", group);
        if (groupIndex == null) {
            headers.putNull("group_index");
        } else {
            headers.put("group_index", groupIndex);
        }
        headers.put("retries", 0);
        headers.putArray("timelimit").addNull().addNull();
        headers.put("root_id", id);
        headers.putNull("parent_id");
        headers.put("argsrepr", "()");
        // kwargsrepr is only shown in the worker's logs; the real kwargs (with the update key) stay out of them
        headers.put("kwargsrepr", "{...}");
        headers.put("origin", ORIGIN);
        headers.put("ignore_result", false);

        ObjectNode properties = F.objectNode();
        properties.put("correlation_id", id);
        properties.put("reply_to", UUID.randomUUID().toString());
        properties.put("delivery_mode", 2);
        properties.putObject("delivery_info").put("exchange", "").put("routing_key", queue);
        properties.put("priority", 0);
        properties.put("body_encoding", "base64");
        properties.put("delivery_tag", UUID.randomUUID().toString());
        return envelope(body, headers, properties);
    }

    /** {@code control.revoke(ids, terminate=True, signal="SIGINT")}, to every worker. */
    static String revoke(List<String> taskIds) {
        ObjectNode body = F.objectNode();
        body.put("method", "revoke");
        ObjectNode args = body.putObject("arguments");
        ArrayNode ids = args.putArray("task_id");
        taskIds.forEach(ids::add);
        args.put("terminate", true);
        args.put("signal", "SIGINT");
        body.putNull("destination");
        body.putNull("pattern");
        body.putNull("matcher");
        ObjectNode headers = F.objectNode();
        headers.put("clock", 1);
        // as Celery does: workers ignore a broadcast older than this
        headers.put("expires", System.currentTimeMillis() / 1000.0 + 60);
        ObjectNode properties = F.objectNode();
        properties.put("delivery_mode", 2);
        properties.putObject("delivery_info").put("exchange", "celery.pidbox").put("routing_key", "");
        properties.put("priority", 0);
        properties.put("body_encoding", "base64");
        properties.put("delivery_tag", UUID.randomUUID().toString());
        return envelope(body, headers, properties);
    }

    private static String envelope(Object body, ObjectNode headers, ObjectNode properties) {
        try {
            ObjectNode m = F.objectNode();
            m.put("body", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(body)));
            m.put("content-encoding", "utf-8");
            m.put("content-type", "application/json");
            m.set("headers", headers);
            m.set("properties", properties);
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Celery message", e);
        }
    }

}
