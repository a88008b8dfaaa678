package io.github.idallocator.fault;

import io.github.idallocator.test.FaultLogs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The check on {@link PoolWorker}'s logs that needs more than a hold's start and end: when each granted acquisition was
 * <em>sent</em> ({@code MARK SENT <pool> <n> <token> <nanos>}). A lease's fencing token is strictly greater than the
 * token of every earlier lease of its pool; "earlier" is only certain, across threads and processes, for a hold that
 * ended before the other acquisition was sent (its grant came before its end). Holds that overlap, as in shared mode,
 * may have been granted in either order.
 */
final class PoolLogs {

    private static final int EXAMPLES = 10;

    private PoolLogs() {}

    /**
     * Holds of {@code pool} (any resource) whose token is not above the token of a hold that ended before their
     * acquisition was sent, or repeats another hold's token, or has no {@code SENT} mark.
     */
    static FaultLogs.Violations tokenOrderViolations(FaultLogs logs, String pool) {
        Map<String, Long> sent = new HashMap<>();
        for (FaultLogs.Event mark : logs.marks("SENT")) {
            if (mark.field(1).equals(pool)) {
                sent.put(mark.process() + " " + mark.field(3), Long.parseLong(mark.field(4)));
            }
        }
        List<FaultLogs.Hold> holds = logs.holds(pool);
        long violations = 0;
        List<String> examples = new ArrayList<>();
        Map<Long, FaultLogs.Hold> byToken = new HashMap<>();
        List<FaultLogs.Hold> bySent = new ArrayList<>();
        for (FaultLogs.Hold hold : holds) {
            FaultLogs.Hold same = byToken.putIfAbsent(hold.token(), hold);
            if (same != null) {
                violations++;
                add(examples, "token " + hold.token() + " handed out twice: " + same + " and " + hold);
            }
            if (sent.containsKey(key(hold))) {
                bySent.add(hold);
            } else {
                violations++;
                add(examples, "no SENT mark for " + hold);
            }
        }
        bySent.sort(Comparator.comparingLong(h -> sent.get(key(h))));
        List<FaultLogs.Hold> byEnd = new ArrayList<>(holds);
        byEnd.sort(Comparator.comparingLong(FaultLogs.Hold::endNanos));
        FaultLogs.Hold highestEnded = null;
        int ended = 0;
        for (FaultLogs.Hold hold : bySent) {
            long sentNanos = sent.get(key(hold));
            while (ended < byEnd.size() && byEnd.get(ended).endNanos() - sentNanos < 0) {
                FaultLogs.Hold before = byEnd.get(ended++);
                if (highestEnded == null || before.token() > highestEnded.token()) {
                    highestEnded = before;
                }
            }
            if (highestEnded != null && hold.token() <= highestEnded.token()) {
                violations++;
                add(
                        examples,
                        "token of " + hold + " (sent at " + sentNanos + ") is not above that of " + highestEnded
                                + ", which ended before");
            }
        }
        return new FaultLogs.Violations(
                "fencing-token order violations of pool " + pool + " (among " + holds.size() + " holds)",
                violations,
                examples);
    }

    private static String key(FaultLogs.Hold hold) {
        return hold.process() + " " + hold.token();
    }

    private static void add(List<String> examples, String example) {
        if (examples.size() < EXAMPLES) {
            examples.add(example);
        }
    }
}
