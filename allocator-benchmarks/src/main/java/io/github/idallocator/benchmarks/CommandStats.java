package io.github.idallocator.benchmarks;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server side of a benchmark, from {@code INFO commandstats} and (Redis 7 and later) {@code INFO latencystats}: how
 * many times each command ran, for how long, and the server's own latency percentiles of EVALSHA. Commands that scripts
 * call count too, so it shows how many Redis commands one operation costs and how long the server is busy with it,
 * apart from the network and the client.
 */
public final class CommandStats {

    /** Commands the clients send themselves; container commands such as {@code config|resetstat} are skipped too. */
    private static final Set<String> NOT_FROM_SCRIPTS = Set.of("evalsha", "eval", "info", "hello", "ping", "select");

    private static final Pattern COMMAND_LINE = Pattern.compile("cmdstat_([^:]+):calls=(\\d+),usec=(\\d+)");
    private static final Pattern EVALSHA_LATENCY = Pattern.compile("latency_percentiles_usec_evalsha:(\\S+)");

    private final Map<String, long[]> callsAndMicros;
    private final String evalshaPercentiles;

    private CommandStats(Map<String, long[]> callsAndMicros, String evalshaPercentiles) {
        this.callsAndMicros = callsAndMicros;
        this.evalshaPercentiles = evalshaPercentiles;
    }

    /** Parses the text of {@code INFO commandstats} and of {@code INFO latencystats} (empty before Redis 7). */
    public static CommandStats parse(String commandStats, String latencyStats) {
        Map<String, long[]> stats = new TreeMap<>();
        Matcher m = COMMAND_LINE.matcher(commandStats);
        while (m.find()) {
            stats.put(m.group(1), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
        }
        Matcher latency = EVALSHA_LATENCY.matcher(latencyStats);
        return new CommandStats(stats, latency.find() ? latency.group(1).replace(",", " ") : "");
    }

    /** Calls of the command (lower case, as Redis names it). */
    public long calls(String command) {
        long[] v = callsAndMicros.get(command);
        return v == null ? 0 : v[0];
    }

    /** Microseconds the server spent in the command, including the commands a script called. */
    public long micros(String command) {
        long[] v = callsAndMicros.get(command);
        return v == null ? 0 : v[1];
    }

    /**
     * One line: operations counted, server time per operation, Redis commands per operation, and the server's EVALSHA
     * latency percentiles; one operation is {@code scriptCallsPerOperation} EVALSHA calls.
     */
    public String summary(int scriptCallsPerOperation) {
        long scripts = calls("evalsha");
        if (scripts == 0) {
            return "server: no EVALSHA calls recorded";
        }
        double operations = (double) scripts / scriptCallsPerOperation;
        return String.format(
                Locale.ROOT,
                "server: %.0f operations, %.1f us and %.1f Redis commands per operation (%d EVALSHA); "
                        + "EVALSHA latency on the server in us: %s",
                operations,
                micros("evalsha") / operations,
                innerCalls() / operations,
                scriptCallsPerOperation,
                evalshaPercentiles.isEmpty() ? "n/a (needs Redis 7)" : evalshaPercentiles);
    }

    /** One line: each command the scripts ran, with its count per operation. */
    public String commandsPerOperation(int scriptCallsPerOperation) {
        double operations = (double) calls("evalsha") / scriptCallsPerOperation;
        StringBuilder out = new StringBuilder("server: Redis commands per operation inside the scripts:");
        for (Map.Entry<String, long[]> e : callsAndMicros.entrySet()) {
            if (isFromScripts(e.getKey()) && operations > 0) {
                out.append(String.format(Locale.ROOT, " %s=%.2f", e.getKey(), e.getValue()[0] / operations));
            }
        }
        return out.toString();
    }

    /**
     * One line: every command the server ran (scripts, the commands inside them, and plain commands) with its number
     * of calls and the server's average microseconds per call; for benchmarks whose operations are not a fixed number
     * of EVALSHA calls (an id from a local segment costs no Redis command at all).
     */
    public String callsSummary() {
        StringBuilder out = new StringBuilder("server: calls in this iteration (us per call):");
        boolean any = false;
        for (Map.Entry<String, long[]> e : callsAndMicros.entrySet()) {
            String command = e.getKey();
            if (command.contains("|") || command.equals("info")) {
                continue;
            }
            long calls = e.getValue()[0];
            out.append(String.format(
                    Locale.ROOT, " %s=%d (%.1f)", command, calls, calls == 0 ? 0.0 : (double) e.getValue()[1] / calls));
            any = true;
        }
        return any ? out.toString() : out.append(" none").toString();
    }

    /**
     * One line: every command the server ran (scripts, the commands inside them, and plain commands) per operation of
     * the client, with the server's average microseconds per call; for the lock benchmarks, whose implementations run
     * different commands (EVAL or EVALSHA, plain commands, PUBLISH) for one lock+unlock.
     */
    public String perOperation(long operations, String operation) {
        if (operations == 0) {
            return "server: no " + operation + " counted";
        }
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT, "server: %d %s, Redis calls per %s (us per call):", operations, operation, operation));
        long total = 0;
        for (Map.Entry<String, long[]> e : callsAndMicros.entrySet()) {
            String command = e.getKey();
            if (isOwnQuery(command)) {
                continue;
            }
            long calls = e.getValue()[0];
            total += calls;
            out.append(String.format(
                    Locale.ROOT,
                    " %s=%.2f (%.1f)",
                    command,
                    (double) calls / operations,
                    calls == 0 ? 0.0 : (double) e.getValue()[1] / calls));
        }
        return out.append(String.format(Locale.ROOT, "; all commands %.2f", (double) total / operations))
                .toString();
    }

    /** Every call of every command but the benchmark's own {@code INFO} and {@code CONFIG RESETSTAT}. */
    public long allCalls() {
        long total = 0;
        for (Map.Entry<String, long[]> e : callsAndMicros.entrySet()) {
            if (!isOwnQuery(e.getKey())) {
                total += e.getValue()[0];
            }
        }
        return total;
    }

    /** The commands {@link #allCalls()} counts, each with its number of calls, or {@code none}. */
    public String allCallsByCommand() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, long[]> e : callsAndMicros.entrySet()) {
            if (!isOwnQuery(e.getKey()) && e.getValue()[0] > 0) {
                out.append(out.length() == 0 ? "" : " ")
                        .append(e.getKey())
                        .append('=')
                        .append(e.getValue()[0]);
            }
        }
        return out.length() == 0 ? "none" : out.toString();
    }

    private long innerCalls() {
        long inner = 0;
        for (Map.Entry<String, long[]> e : callsAndMicros.entrySet()) {
            if (isFromScripts(e.getKey())) {
                inner += e.getValue()[0];
            }
        }
        return inner;
    }

    /** The commands the benchmark itself sends to read and reset these counters. */
    private static boolean isOwnQuery(String command) {
        return command.equals("info") || command.equals("config|resetstat");
    }

    private static boolean isFromScripts(String command) {
        return !NOT_FROM_SCRIPTS.contains(command) && !command.contains("|");
    }
}
