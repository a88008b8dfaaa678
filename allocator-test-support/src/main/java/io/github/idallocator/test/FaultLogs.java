package io.github.idallocator.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The merged logs of every worker of a test (every {@link EventLog} under one directory) and the invariants checked on
 * them: no id issued twice across processes ({@link #duplicateIds()}), no two holders of one id at overlapping times
 * ({@link #overlappingHolds(String)}) or more than a shared lease's cap ({@link #holdsBeyond(String, int)}), fencing
 * tokens strictly increasing per id in time order and never repeated ({@link #tokenViolations(String)}), and only
 * expected exception types ({@link #errorViolations(ErrorPolicy)}).
 *
 * <p>A hold lasts from its {@code HOLD} event (acquisition confirmed) to its {@code END} event or its latest deadline,
 * whichever comes first: a holder that dies without a word is taken to use its lease until its last deadline, as its
 * {@code isHeld()} would let it. A renewal that answers with another token ends the hold and starts a new one. A
 * process that is handed an id it already holds under another token holds it twice: both holds count.
 */
public final class FaultLogs {

    private static final int EXAMPLES = 10;

    private final List<Event> events;
    private final Map<String, long[][]> ids;

    private FaultLogs(List<Event> events, Map<String, long[][]> ids) {
        this.events = events;
        this.ids = ids;
    }

    /** Reads every {@code events-*.log} and {@code ids-*.bin} under {@code directory} (recursively). */
    public static FaultLogs read(Path directory) {
        List<Event> events = new ArrayList<>();
        Map<String, List<long[]>> idsByProcess = new TreeMap<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("events-") && name.endsWith(".log")) {
                    String process = name.substring("events-".length(), name.length() - ".log".length());
                    readEvents(file, process, events);
                } else if (name.startsWith("ids-") && name.endsWith(".bin")) {
                    String process = name.substring("ids-".length(), name.lastIndexOf('-'));
                    idsByProcess
                            .computeIfAbsent(process, p -> new ArrayList<>())
                            .add(readIds(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the logs under " + directory, e);
        }
        events.sort(Comparator.comparingLong(Event::nanos));
        Map<String, long[][]> ids = new TreeMap<>();
        idsByProcess.forEach((process, parts) -> ids.put(process, concat(parts)));
        return new FaultLogs(List.copyOf(events), ids);
    }

    /** Every text event of every process, in time order. */
    public List<Event> events() {
        return events;
    }

    /** The events of one kind ({@code HOLD}, {@code MARK}, ...), in time order. */
    public List<Event> events(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** The {@code MARK} events named {@code name}, in time order. */
    public List<Event> marks(String name) {
        return events.stream()
                .filter(e -> e.kind().equals("MARK") && e.field(0).equals(name))
                .toList();
    }

    /** How many ids each process issued. */
    public Map<String, Integer> idCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        ids.forEach((process, pairs) -> counts.put(process, pairs[1].length));
        return counts;
    }

    /** The ids {@code process} issued, in the order they were recorded per thread. */
    public long[] ids(String process) {
        long[][] pairs = ids.get(process);
        return pairs == null ? new long[0] : pairs[1].clone();
    }

    /** The ids {@code process} issued with the {@link System#nanoTime()} of each: {@code [nanos[], ids[]]}. */
    public long[][] timedIds(String process) {
        long[][] pairs = ids.get(process);
        return pairs == null
                ? new long[][] {new long[0], new long[0]}
                : new long[][] {pairs[0].clone(), pairs[1].clone()};
    }

    /** Every id issued more than once, across all processes (and within one). */
    public Violations duplicateIds() {
        int total = ids.values().stream().mapToInt(p -> p[1].length).sum();
        long[] all = new long[total];
        int at = 0;
        for (long[][] pairs : ids.values()) {
            System.arraycopy(pairs[1], 0, all, at, pairs[1].length);
            at += pairs[1].length;
        }
        Arrays.sort(all);
        long duplicates = 0;
        List<Long> examples = new ArrayList<>();
        for (int i = 1; i < all.length; i++) {
            if (all[i] == all[i - 1]) {
                duplicates++;
                if (examples.size() < EXAMPLES && (examples.isEmpty() || examples.get(examples.size() - 1) != all[i])) {
                    examples.add(all[i]);
                }
            }
        }
        List<String> described = new ArrayList<>();
        for (long id : examples) {
            List<String> where = new ArrayList<>();
            ids.forEach((process, pairs) -> {
                for (int i = 0; i < pairs[1].length; i++) {
                    if (pairs[1][i] == id) {
                        where.add(process + "@" + nanos(pairs[0][i]));
                    }
                }
            });
            described.add("id " + id + " issued by " + String.join(", ", where));
        }
        return new Violations("duplicate ids (among " + total + ")", duplicates, described);
    }

    /** Every hold of {@code resource}, built from the events (see the class description). */
    public List<Hold> holds(String resource) {
        Map<String, Hold.Builder> open = new LinkedHashMap<>();
        List<Hold> holds = new ArrayList<>();
        for (Event event : events) {
            if (!List.of("HOLD", "RENEW", "END").contains(event.kind())
                    || !event.field(0).equals(resource)) {
                continue;
            }
            long id = Long.parseLong(event.field(1));
            long token = Long.parseLong(event.field(2));
            String holder = event.process() + " " + id + " ";
            String key = holder + token;
            Hold.Builder current = open.get(key);
            switch (event.kind()) {
                case "HOLD" -> {
                    // A second lease of an id the process already holds is a second holder: both stay open.
                    if (current != null) {
                        holds.add(current.end(event.nanos(), "held-again"));
                    }
                    open.put(key, new Hold.Builder(event.process(), id, token, event.nanos(), deadline(event)));
                }
                case "RENEW" -> {
                    if (current != null) {
                        current.deadline = Math.max(current.deadline, deadline(event));
                    } else {
                        List<String> others = open.keySet().stream()
                                .filter(k -> k.startsWith(holder))
                                .toList();
                        if (others.size() == 1) {
                            holds.add(open.remove(others.get(0)).end(event.nanos(), "token-changed"));
                        }
                        open.put(key, new Hold.Builder(event.process(), id, token, event.nanos(), deadline(event)));
                    }
                }
                default -> {
                    if (current != null) {
                        holds.add(current.end(event.nanos(), event.field(3)));
                        open.remove(key);
                    }
                }
            }
        }
        open.values().forEach(h -> holds.add(h.end(Long.MAX_VALUE, "no-end-logged")));
        holds.sort(Comparator.comparingLong(Hold::startNanos));
        return holds;
    }

    /**
     * Pairs of holds of one id of {@code resource} that overlap in time: by different processes, or by one process under
     * two tokens (two leases of one id at once).
     */
    public Violations overlappingHolds(String resource) {
        Map<Long, List<Hold>> byId = holds(resource).stream().collect(Collectors.groupingBy(Hold::id));
        long overlaps = 0;
        List<String> examples = new ArrayList<>();
        for (List<Hold> holds : byId.values()) {
            Hold longest = null;
            for (Hold hold : holds) {
                if (longest != null && hold.startNanos() < longest.endNanos()) {
                    overlaps++;
                    if (examples.size() < EXAMPLES) {
                        examples.add(hold.id() + ": " + longest + " and " + hold + " overlap by "
                                + millis(Math.min(longest.endNanos(), hold.endNanos()) - hold.startNanos()) + " ms");
                    }
                }
                if (longest == null || hold.endNanos() > longest.endNanos()) {
                    longest = hold;
                }
            }
        }
        int count = byId.values().stream().mapToInt(List::size).sum();
        return new Violations("overlapping holds of " + resource + " (among " + count + ")", overlaps, examples);
    }

    /**
     * Holds of one id of {@code resource} that began while {@code maxHolders} others of it were already going on (a
     * shared lease over its cap): each counts once. {@code holdsBeyond(resource, 1)} counts what {@link
     * #overlappingHolds(String)} counts.
     */
    public Violations holdsBeyond(String resource, int maxHolders) {
        Map<Long, List<Hold>> byId = holds(resource).stream().collect(Collectors.groupingBy(Hold::id));
        long violations = 0;
        List<String> examples = new ArrayList<>();
        for (List<Hold> holds : byId.values()) {
            // in start order; a hold ending when another starts does not overlap it
            List<Hold> going = new ArrayList<>();
            for (Hold hold : holds) {
                going.removeIf(h -> h.endNanos() <= hold.startNanos());
                if (going.size() >= maxHolders) {
                    violations++;
                    if (examples.size() < EXAMPLES) {
                        examples.add(
                                hold.id() + ": " + hold + " began while " + going.size() + " others held it: " + going);
                    }
                }
                going.add(hold);
            }
        }
        int count = byId.values().stream().mapToInt(List::size).sum();
        return new Violations(
                "holds of " + resource + " beyond " + maxHolders + " at once (among " + count + ")",
                violations,
                examples);
    }

    /** Tokens of {@code resource} that do not increase per id in time order, or that were handed out twice. */
    public Violations tokenViolations(String resource) {
        List<Hold> holds = holds(resource);
        long violations = 0;
        List<String> examples = new ArrayList<>();
        Map<Long, Hold> previousById = new HashMap<>();
        Map<Long, Hold> firstByToken = new HashMap<>();
        for (Hold hold : holds) {
            Hold previous = previousById.put(hold.id(), hold);
            if (previous != null && hold.token() <= previous.token()) {
                violations++;
                if (examples.size() < EXAMPLES) {
                    examples.add("token of " + hold + " is not above the earlier " + previous);
                }
            }
            Hold sameToken = firstByToken.putIfAbsent(hold.token(), hold);
            if (sameToken != null
                    && (sameToken.id() != hold.id() || !sameToken.process().equals(hold.process()))) {
                violations++;
                if (examples.size() < EXAMPLES) {
                    examples.add("token " + hold.token() + " handed out twice: " + sameToken + " and " + hold);
                }
            }
        }
        return new Violations(
                "fencing-token violations of " + resource + " (among " + holds.size() + " holds)",
                violations,
                examples);
    }

    /** Exceptions the workers logged that {@code policy} does not allow. */
    public Violations errorViolations(ErrorPolicy policy) {
        long violations = 0;
        List<String> examples = new ArrayList<>();
        for (Event error : events("ERROR")) {
            String problem = policy.check(
                    error.field(0), error.field(1), List.of(error.field(2).split(",")));
            if (problem != null) {
                violations++;
                if (examples.size() < EXAMPLES) {
                    examples.add(error.process() + "@" + nanos(error.nanos()) + ": " + problem + ": " + error.rest(3));
                }
            }
        }
        return new Violations("exceptions of an unexpected type", violations, examples);
    }

    /** How many exceptions of each class each process logged: {@code class (retryable) -> count}. */
    public Map<String, Long> errorCounts() {
        Map<String, Long> counts = new TreeMap<>();
        for (Event error : events("ERROR")) {
            String name = error.field(0);
            counts.merge(
                    name.substring(name.lastIndexOf('.') + 1) + " (retryable " + error.field(1) + ")", 1L, Long::sum);
        }
        return counts;
    }

    /** A few lines for the test's output: ids per process, holds, exceptions per type. */
    public String summary() {
        Map<String, Long> kinds = new LinkedHashMap<>();
        events.forEach(e -> kinds.merge(e.kind(), 1L, Long::sum));
        return "ids per process " + idCounts() + "; events " + kinds + "; exceptions " + errorCounts();
    }

    private static long deadline(Event event) {
        return Long.parseLong(event.field(3));
    }

    private static void readEvents(Path file, String process, List<Event> into) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return;
        }
        for (String line : text.substring(0, end).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] words = line.split(" ");
            into.add(
                    new Event(process, Long.parseLong(words[0]), words[1], Arrays.copyOfRange(words, 2, words.length)));
        }
    }

    private static long[] readIds(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        // A kill -9 may cut the last pair short.
        int pairs = bytes.length / (2 * Long.BYTES);
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, pairs * 2 * Long.BYTES);
        long[] flat = new long[pairs * 2];
        buffer.asLongBuffer().get(flat);
        return flat;
    }

    private static long[][] concat(List<long[]> flatParts) {
        int total = flatParts.stream().mapToInt(p -> p.length / 2).sum();
        long[] nanos = new long[total];
        long[] ids = new long[total];
        int at = 0;
        for (long[] flat : flatParts) {
            for (int i = 0; i < flat.length; i += 2) {
                nanos[at] = flat[i];
                ids[at] = flat[i + 1];
                at++;
            }
        }
        return new long[][] {nanos, ids};
    }

    private static String nanos(long nanos) {
        return nanos == Long.MAX_VALUE ? "end" : Long.toString(nanos);
    }

    private static String millis(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }

    /** One line of a process's event log: {@code <nanos> <kind> <fields...>}. */
    public record Event(String process, long nanos, String kind, String[] fields) {

        /** The {@code index}-th word after the kind. */
        public String field(int index) {
            return index < fields.length ? fields[index] : "";
        }

        /** The words from {@code index} on, joined by spaces. */
        public String rest(int index) {
            return index < fields.length ? String.join(" ", Arrays.copyOfRange(fields, index, fields.length)) : "";
        }

        @Override
        public String toString() {
            return process + "@" + nanos + " " + kind + " " + String.join(" ", fields);
        }
    }

    /**
     * A hold of one id by one process under one token, from {@code startNanos} to {@code endNanos} (the earlier of its
     * end event and its latest deadline).
     */
    public record Hold(String process, long id, long token, long startNanos, long endNanos, String endReason) {

        @Override
        public String toString() {
            return process + "[token " + token + ", " + startNanos + ".." + endNanos + " " + endReason + "]";
        }

        private static final class Builder {
            private final String process;
            private final long id;
            private final long token;
            private final long start;
            private long deadline;

            Builder(String process, long id, long token, long start, long deadline) {
                this.process = process;
                this.id = id;
                this.token = token;
                this.start = start;
                this.deadline = deadline;
            }

            Hold end(long nanos, String reason) {
                boolean byDeadline = deadline - nanos < 0;
                return new Hold(
                        process, id, token, start, byDeadline ? deadline : nanos, byDeadline ? "deadline" : reason);
            }
        }
    }

    /** The outcome of one invariant check: how many violations, and a few described. */
    public record Violations(String what, long count, List<String> examples) {

        /** Whether the invariant held. */
        public boolean isEmpty() {
            return count == 0;
        }

        @Override
        public String toString() {
            return count + " " + what + (examples.isEmpty() ? "" : ", e.g.\n  " + String.join("\n  ", examples));
        }
    }
}
