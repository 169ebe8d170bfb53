package io.yaptide.store.submissions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yaptide.store.db.StoreException;
import io.yaptide.store.simulations.InputType;
import io.yaptide.store.simulations.SimulatorType;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A job submission ({@code /jobs/direct}, {@code /jobs/batch}) checked and turned into what is
 * stored as the simulation's input, as the original's {@code make_input_dict} does: the input
 * type, the editor project (if any), the input files with the number of primaries divided among the
 * tasks (SHIELD-HIT12A's {@code NSTAT}, FLUKA's {@code START} card rewritten), and the total number
 * of primaries. The HTTP layer reads the request's fields and calls the checks here in the order
 * the original applies them; a refused value is a {@link StoreException.Invalid} naming it.
 *
 * <p>The original converts an editor project to simulator files with its separate converter
 * package; this service does not include one, so an editor submission stores its project and an
 * empty {@code input_files}.
 */
public record SubmissionInput(SimulatorType simType, InputType inputType, int taskCount, String title, ObjectNode stored,
                       ObjectNode inputFiles, long allPrimaries) {

    /** More tasks than this in one job is refused: each is a row and, for the dummy, a background job. */
    static final int MAX_TASKS = 1000;
    static final int MAX_TITLE_LENGTH = 1000;

    private static final Pattern NSTAT = Pattern.compile("NSTAT\\s*\\d*\\s*\\d*");

    public int primariesPerTask() {
        return Math.toIntExact(allPrimaries / taskCount); // parse() refuses a share beyond an int
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The simulator named by {@code sim_type}. */
    public static SimulatorType simType(String text) {
        return SimulatorType.parse(text).orElseThrow(() -> new StoreException.Invalid(
                "unknown sim_type '" + text + "'; use one of "
                        + Arrays.stream(SimulatorType.values()).map(SimulatorType::dbValue).collect(Collectors.joining(", "))));
    }

    /** The number of tasks asked for ({@code ntasks}), within 1..{@link #MAX_TASKS}. */
    public static long taskCount(long ntasks) {
        if (ntasks < 1 || ntasks > MAX_TASKS) {
            throw new StoreException.Invalid("ntasks must be between 1 and " + MAX_TASKS + ", got " + ntasks);
        }
        return ntasks;
    }

    /** The title, at most {@link #MAX_TITLE_LENGTH} characters. */
    public static String title(String title) {
        if (title.length() > MAX_TITLE_LENGTH) {
            throw new StoreException.Invalid("title is longer than " + MAX_TITLE_LENGTH + " characters");
        }
        return title;
    }

    /** An editor submission: the project is stored; its beam's number of particles caps the task count. */
    public static SubmissionInput editor(SimulatorType simType, long ntasks, String title, ObjectNode project) {
        ObjectNode stored = JSON.createObjectNode();
        long primaries = editorPrimaries(project);
        int tasks = clamped(ntasks, primaries);
        stored.put("input_type", InputType.EDITOR.name());
        stored.set("input_json", project);
        stored.put("number_of_all_primaries", primaries);
        ObjectNode files = stored.putObject("input_files");
        return checked(new SubmissionInput(simType, InputType.EDITOR, tasks, title, stored, files, primaries));
    }

    /** A files submission: the files are stored with their primaries divided among the tasks. */
    public static SubmissionInput files(SimulatorType simType, long ntasks, String title, ObjectNode given) {
        ObjectNode stored = JSON.createObjectNode();
        ObjectNode files = given.deepCopy();
        int tasks = clamped(ntasks, adjustPrimaries(given.deepCopy(), 1));
        long primaries = adjustPrimaries(files, tasks);
        stored.put("input_type", InputType.FILES.name());
        stored.put("number_of_all_primaries", primaries);
        stored.set("input_files", files);
        return checked(new SubmissionInput(simType, InputType.FILES, tasks, title, stored, files, primaries));
    }

    private static SubmissionInput checked(SubmissionInput input) {
        // each task's requested_primaries is an INTEGER column: a larger share is refused, not clamped
        if (input.allPrimaries() < 0) {
            throw new StoreException.Invalid("the number of primaries must not be negative, got " + input.allPrimaries());
        }
        if (input.allPrimaries() / input.taskCount() > Integer.MAX_VALUE) {
            throw new StoreException.Invalid(input.allPrimaries() + " primaries over " + input.taskCount()
                    + " task(s) is more than " + Integer.MAX_VALUE + " per task");
        }
        return input;
    }

    /**
     * The original's rule since the seed: no more tasks than primaries, since a task without a
     * primary makes the simulator fail. When the input does not say how many primaries (0), the
     * number asked for stays.
     */
    static int clamped(long ntasks, long allPrimaries) {
        return (int) (allPrimaries >= 1 && ntasks > allPrimaries ? allPrimaries : ntasks);
    }

    private static long editorPrimaries(ObjectNode project) {
        JsonNode particles = project.path("beam").path("numberOfParticles");
        if (particles.isMissingNode() || particles.isNull()) {
            return 0;
        }
        if (!particles.isIntegralNumber() || particles.longValue() < 0) {
            throw new StoreException.Invalid("input_json.beam.numberOfParticles must be a whole number, got " + particles);
        }
        return particles.longValue();
    }

    /**
     * Divides the primaries among the tasks in place: SHIELD-HIT12A's {@code NSTAT} in beam.dat, or
     * FLUKA's {@code START} card in the .inp file. Returns the total number of primaries (0 when the
     * files do not say).
     */
    static long adjustPrimaries(ObjectNode files, int tasks) {
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> file = it.next();
            if (!file.getValue().isTextual()) {
                throw new StoreException.Invalid("input_files." + file.getKey() + " must be the file's text, got "
                        + kind(file.getValue()));
            }
        }
        if (files.has("beam.dat")) {
            return adjustShieldhit(files, tasks);
        }
        for (Iterator<String> names = files.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.endsWith(".inp")) {
                return adjustFluka(files, name, tasks);
            }
        }
        return 0;
    }

    private static long adjustShieldhit(ObjectNode files, int tasks) {
        String[] lines = files.get("beam.dat").textValue().split("\n", -1);
        String first = null;
        for (String line : lines) {
            if (line.stripLeading().startsWith("NSTAT")) {
                first = line;
                break;
            }
        }
        if (first == null) {
            return 0;
        }
        String[] words = first.strip().split("\\s+");
        if (words.length < 2) {
            throw new StoreException.Invalid("beam.dat has NSTAT without a number of primaries");
        }
        long all;
        try {
            all = Long.parseLong(words[1]);
        } catch (NumberFormatException e) {
            throw new StoreException.Invalid("beam.dat NSTAT value '" + words[1] + "' is not a whole number");
        }
        String perTask = Long.toString(all / tasks);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = NSTAT.matcher(lines[i]);
            if (m.find()) {
                // the first occurrence only: later numbers on the line (the saving step) stay
                lines[i] = lines[i].replaceFirst(Pattern.quote(words[1]), Matcher.quoteReplacement(perTask));
            }
        }
        files.put("beam.dat", String.join("\n", lines));
        return all;
    }

    private static long adjustFluka(ObjectNode files, String name, int tasks) {
        String[] lines = files.get(name).textValue().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].stripLeading().startsWith("START")) {
                String[] words = lines[i].strip().split("\\s+");
                if (words.length < 2) {
                    throw new StoreException.Invalid(name + " has a START card without a number of primaries");
                }
                long all;
                try {
                    all = (long) Double.parseDouble(words[1]);
                } catch (NumberFormatException e) {
                    throw new StoreException.Invalid(name + " START value '" + words[1] + "' is not a number");
                }
                // FLUKA fixed format: the card name in columns 1-10, WHAT(1) right-aligned in 11-20
                lines[i] = String.format(Locale.ROOT, "%-10s%10s", "START", (all / tasks) + ".0");
                files.put(name, String.join("\n", lines));
                return all;
            }
        }
        return 0;
    }

    /** What a JSON value is, in words (as the HTTP layer's type errors say it). */
    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> n.isIntegralNumber() ? "an integer" : "a number with a fraction";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> n.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
