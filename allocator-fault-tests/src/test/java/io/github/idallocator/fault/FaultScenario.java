package io.github.idallocator.fault;

import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.NotOwnerException;
import io.github.idallocator.RecoveringException;
import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.ReplicaAckException;
import io.github.idallocator.lock.LockTimeoutException;
import io.github.idallocator.pool.PoolTimeoutException;
import io.github.idallocator.snowflake.ClockMovedBackwardsException;
import io.github.idallocator.snowflake.WorkerIdUnavailableException;
import io.github.idallocator.snowflake.WorkerLeaseLostException;
import io.github.idallocator.test.ErrorPolicy;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.WorkerGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.assertj.core.api.SoftAssertions;

/**
 * One fault test's worker processes and logs ({@code target/fault/<scenario>/<worker>/}, see {@link WorkerGroup}), and
 * the checks and error policies the core's scenarios share.
 */
final class FaultScenario extends WorkerGroup {

    FaultScenario(String name) {
        super(name);
    }

    /**
     * The exceptions every scenario accepts: Redis unreachable or refusing for a while (retryable), the recovery period
     * after a loss (retryable), no free id (not retryable: something must change first) and, for Snowflake, a lease
     * that cannot be proven or a clock behind the last id: both pass by themselves, so a retry later can succeed
     * ({@code IdAllocatorException.isRetryable()}: "true for ... recovering lost state"). {@link NotOwnerException} only
     * where a range holder renews or frees. Anything else, the base type included, fails the test.
     */
    /** Soft-asserts that no id was issued twice and that only the exceptions {@code policy} allows were seen. */
    void checkUniqueIds(SoftAssertions softly, FaultLogs logs, ErrorPolicy policy) {
        FaultLogs.Violations duplicates = logs.duplicateIds();
        softly.assertThat(duplicates.count()).as(duplicates.toString()).isZero();
        checkErrors(softly, logs, policy);
    }

    /**
     * Soft-asserts that no two processes held an id of {@code allocator} at once, that tokens increased per id, and
     * that only the exceptions {@code policy} allows were seen.
     */
    void checkExclusiveHolds(SoftAssertions softly, FaultLogs logs, String allocator, ErrorPolicy policy) {
        FaultLogs.Violations overlaps = logs.overlappingHolds(allocator);
        softly.assertThat(overlaps.count()).as(overlaps.toString()).isZero();
        FaultLogs.Violations tokens = logs.tokenViolations(allocator);
        softly.assertThat(tokens.count()).as(tokens.toString()).isZero();
        checkErrors(softly, logs, policy);
    }

    /** Soft-asserts that only the exceptions {@code policy} allows were seen, by callers and in background tasks. */
    void checkErrors(SoftAssertions softly, FaultLogs logs, ErrorPolicy policy) {
        FaultLogs.Violations errors = logs.errorViolations(policy);
        softly.assertThat(errors.count()).as(errors.toString()).isZero();
        softly.assertThat(libraryErrors())
                .as("errors the library logged in background tasks")
                .isEmpty();
    }

    static ErrorPolicy snowflakeErrors() {
        return ErrorPolicy.subtypesOf(IdAllocatorException.class.getName())
                .allowSubtypes(RedisUnavailableException.class.getName(), true)
                .allow(RecoveringException.class, true)
                .allow(IdsExhaustedException.class, false)
                .allow(WorkerLeaseLostException.class, true)
                .allow(WorkerIdUnavailableException.class, true)
                .allow(ClockMovedBackwardsException.class, true);
    }

    static ErrorPolicy rangeErrors() {
        return ErrorPolicy.subtypesOf(IdAllocatorException.class.getName())
                .allowSubtypes(RedisUnavailableException.class.getName(), true)
                .allow(RecoveringException.class, true)
                .allow(ReplicaAckException.class, true)
                .allow(IdsExhaustedException.class, false)
                .allow(NotOwnerException.class, false);
    }

    /**
     * Soft-asserts, for each lock name, that no two holds of it overlapped in time and that fencing tokens strictly
     * increased in the order the holds began (never repeated), and that only the exceptions {@code policy} allows were
     * seen.
     */
    void checkExclusiveLocks(SoftAssertions softly, FaultLogs logs, List<String> names, ErrorPolicy policy) {
        for (String name : names) {
            FaultLogs.Violations overlaps = logs.overlappingHolds(name);
            softly.assertThat(overlaps.count()).as(overlaps.toString()).isZero();
            FaultLogs.Violations tokens = logs.tokenViolations(name);
            softly.assertThat(tokens.count()).as(tokens.toString()).isZero();
        }
        checkErrors(softly, logs, policy);
    }

    /**
     * Lock workers: Redis unreachable or replicas not confirming (retryable), a wait that timed out (retryable: the
     * holder releases later).
     */
    static ErrorPolicy lockErrors() {
        return ErrorPolicy.subtypesOf(IdAllocatorException.class.getName())
                .allowSubtypes(RedisUnavailableException.class.getName(), true)
                .allow(LockTimeoutException.class, true);
    }

    /** Pool workers: Redis unreachable (retryable), a wait that timed out (retryable: holders release later). */
    static ErrorPolicy poolErrors() {
        return ErrorPolicy.subtypesOf(IdAllocatorException.class.getName())
                .allowSubtypes(RedisUnavailableException.class.getName(), true)
                .allow(PoolTimeoutException.class, true);
    }

    /** Sends {@code signal} ({@code STOP}, {@code CONT}) to the process {@code pid}, such as a Redis server's. */
    static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -" + signal + " " + pid + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    static ErrorPolicy sequenceErrors() {
        return ErrorPolicy.subtypesOf(IdAllocatorException.class.getName())
                .allowSubtypes(RedisUnavailableException.class.getName(), true)
                .allow(RecoveringException.class, true);
    }
}
