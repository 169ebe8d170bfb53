package io.yaptide.store.http;

import io.yaptide.store.tasks.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A task's status as the original's {@code get_status_dict} gives it, times as HTTP-dates. */
final class JobStatus {
    private JobStatus() {
    }

    /**
     * Sorted by {@code task_id}, which is, as in the original since the seed, the task's row id
     * (not its index in the job, which workers send to {@code POST /tasks}).
     */
    static List<Map<String, Object>> tasks(List<Task> tasks) {
        return tasks.stream().sorted(java.util.Comparator.comparingLong(Task::id)).map(JobStatus::task).toList();
    }

    static Map<String, Object> task(Task task) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("task_state", task.state().name());
        status.put("requested_primaries", task.requestedPrimaries());
        status.put("simulated_primaries", task.simulatedPrimaries());
        status.put("last_update_time", HttpDates.format(task.lastUpdateTime()));
        status.put("task_id", task.id());
        Integer estimated = task.estimatedTime();
        if (estimated != null && estimated != 0) {
            Map<String, Object> time = new LinkedHashMap<>();
            time.put("hours", estimated / 3600);
            time.put("minutes", (estimated / 60) % 60);
            time.put("seconds", estimated % 60);
            status.put("estimated_time", time);
        }
        if (task.startTime() != null) {
            status.put("start_time", HttpDates.format(task.startTime()));
        }
        if (task.endTime() != null) {
            status.put("end_time", HttpDates.format(task.endTime()));
        }
        return status;
    }
}
