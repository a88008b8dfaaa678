package io.github.idallocator.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.idallocator.IdAllocatorException;
import io.github.idallocator.IdsExhaustedException;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.SnowflakeLayout;
import io.github.idallocator.snowflake.WorkerIdUnavailableException;
import io.github.idallocator.snowflake.WorkerLeaseLostException;
import io.github.idallocator.test.ErrorPolicy;
import io.github.idallocator.test.EtcdCluster;
import io.github.idallocator.test.EtcdExtension;
import io.github.idallocator.test.EtcdProcess;
import io.github.idallocator.test.FaultLogs;
import io.github.idallocator.test.WorkerGroup;
import io.github.idallocator.test.WorkerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three JVMs generate Snowflake ids, two threads each, on worker ids 0..2 leased from a 3-member etcd cluster (every
 * process holds one, so a worker id a process loses is the only one another can take), while etcd members are killed
 * with SIGKILL and restarted: a follower, then the leader, one at a time (quorum kept); a worker process is stopped
 * with SIGSTOP past its lease, another is killed with SIGKILL and replaced by a new JVM (started during the pause,
 * leasing right after the kill), and both worker ids change hands (the replacement takes the paused process's while it
 * is stopped, the paused process, continued, the killed one's); then two members at once (quorum lost: etcd answers
 * nothing) until both are restarted.
 *
 * <p>No id may be issued twice across all processes, the killed one included (its log up to the kill); every id
 * carries a worker id of the range; every process alive at the end issues ids after the last fault; and only the
 * exceptions a caller is told to expect (etcd unavailable, no free worker id, a lease that cannot be proven) reach the
 * generating threads.
 */
class EtcdSnowflakeFaultTest {

    /** Worker lease: 2 s (the etcd lease's TTL), renewed every 500 ms, ids stop 300 ms before its local end. */
    private static final Duration TTL = Duration.ofSeconds(2);

    private static final Duration HEARTBEAT = Duration.ofMillis(500);
    private static final Duration MARGIN = Duration.ofMillis(300);
    private static final Duration HANDOVER = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
    private static final long MAX_WORKER = 2;
    private static final String NAMESPACE = "idalloc/fault/";

    /** A worker JVM on a busy two-core machine may take a while to start; this bounds it (and stopping). */
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(30);

    /** From a fault's end until every live process issues ids again: an election, a reconnect, a renewal. */
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(15);

    private static final SnowflakeIdGenerator DECODER =
            SnowflakeIdGenerator.builder(SnowflakeLayout.DEFAULT).build();

    @BeforeAll
    static void etcdInstalled() {
        EtcdExtension.assumeEtcdInstalled();
    }

    @Test
    void noIdIsIssuedTwiceAcrossProcessesWhileEtcdMembersAndWorkersAreKilled() {
        Path directory = Path.of("target", "fault", "etcd-snowflake").toAbsolutePath();
        long startedAt = System.nanoTime();
        List<String> faults = new ArrayList<>();
        try (EtcdCluster cluster = EtcdCluster.start(3);
                Client client = Client.builder().endpoints(cluster.endpoints()).build();
                Workers workers = new Workers(directory, arguments(cluster))) {
            WorkerProcess p0 = workers.start("p0");
            WorkerProcess p1 = workers.start("p1");
            WorkerProcess p2 = workers.start("p2");
            for (WorkerProcess worker : List.of(p0, p1, p2)) {
                worker.awaitOutput("ISSUED"::equals, PROCESS_TIMEOUT);
            }

            // quorum kept: a follower, then the leader, killed and restarted one at a time
            EtcdProcess leader = cluster.awaitLeader(RECOVERY_TIMEOUT);
            EtcdProcess follower = cluster.members().stream()
                    .filter(m -> m != leader)
                    .findFirst()
                    .orElseThrow();
            killAndRestart(List.of(follower), TTL, faults, "follower");
            workers.awaitIssuingAfter(System.nanoTime());
            EtcdProcess secondLeader = cluster.awaitLeader(RECOVERY_TIMEOUT);
            killAndRestart(List.of(secondLeader), TTL, faults, "leader");
            workers.awaitIssuingAfter(System.nanoTime());

            // a holder paused past its lease, then another killed and replaced: the replacement (its JVM started before
            // the kill, leasing right after it) takes the paused holder's worker id (free; it asks for that one, since
            // on a busy machine its first claim may come after the killed holder's lease ran out too), and the paused
            // holder, continued, takes the killed one's
            long pausedWorkerId = latestWorkerId(p0);
            long killedWorkerId = latestWorkerId(p1);
            p0.pause();
            long pausedAt = System.nanoTime();
            faults.add("SIGSTOP p0");
            WorkerProcess p3 = workers.start("p3", "join-on-go=true", "prefer=" + pausedWorkerId);
            p3.awaitReady(PROCESS_TIMEOUT);
            WorkerGroup.await(
                    "the claim of p0's worker id " + pausedWorkerId + " expiring in etcd",
                    RECOVERY_TIMEOUT,
                    () -> !isClaimed(client, pausedWorkerId));
            p1.kill9();
            faults.add("kill -9 p1 " + millisSince(pausedAt) + " ms after the SIGSTOP");
            p3.command("go", PROCESS_TIMEOUT);
            faults.add("replacement p3 joins");
            p3.awaitOutput(line -> line.startsWith("ACQUIRED "), PROCESS_TIMEOUT);
            sleepUntil(System.nanoTime() + HEARTBEAT.toNanos()); // p3 issues ids with p0's worker id
            p0.resume();
            faults.add("SIGCONT p0 after " + millisSince(pausedAt) + " ms");
            WorkerGroup.await("p0 leasing a worker id again", RECOVERY_TIMEOUT, () -> acquisitions(p0) >= 2);
            workers.awaitIssuingAfter(System.nanoTime());
            long replacementWorkerId = latestWorkerId(p3);
            long continuedWorkerId = latestWorkerId(p0);

            // quorum lost: two members killed at once, etcd answers nothing until they are back
            EtcdProcess thirdLeader = cluster.awaitLeader(RECOVERY_TIMEOUT);
            EtcdProcess another = cluster.members().stream()
                    .filter(m -> m != thirdLeader)
                    .findFirst()
                    .orElseThrow();
            Outage outage =
                    killAndRestart(List.of(thirdLeader, another), TTL.multipliedBy(2), faults, "leader and follower");

            // progress after the faults: every live process issues ids again
            long recovered = System.nanoTime();
            workers.awaitIssuingAfter(recovered);
            sleepUntil(System.nanoTime() + HEARTBEAT.multipliedBy(2).toNanos());
            workers.stopAll();

            FaultLogs logs = FaultLogs.read(directory);
            System.out.printf(
                    "etcd-snowflake: %d s; faults %s; every live process issued ids again %d ms after the quorum came "
                            + "back; lease events %s; worker ids in the ids %s; %s%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt),
                    faults,
                    TimeUnit.NANOSECONDS.toMillis(workers.issuingAgainNanos()),
                    leaseEvents(logs),
                    workers.workerIds(logs),
                    logs.summary());
            SoftAssertions softly = new SoftAssertions();
            FaultLogs.Violations duplicates = logs.duplicateIds();
            softly.assertThat(duplicates.count()).as(duplicates.toString()).isZero();
            for (String process : List.of("p0", "p1", "p2", "p3")) {
                softly.assertThat(logs.ids(process)).as("ids of %s", process).isNotEmpty();
                softly.assertThat(workerIds(logs, process))
                        .as("worker ids of the ids %s issued", process)
                        .allSatisfy(workerId -> softly.assertThat(workerId).isBetween(0L, MAX_WORKER));
            }
            for (String process : List.of("p0", "p2", "p3")) {
                softly.assertThat(lastIssuedNanos(logs, process))
                        .as("nanoTime of the last id of %s, after the quorum came back at %d", process, recovered)
                        .isGreaterThan(recovered);
            }
            softly.assertThat(replacementWorkerId)
                    .as("worker id of the replacement p3: the paused p0's")
                    .isEqualTo(pausedWorkerId);
            softly.assertThat(continuedWorkerId)
                    .as("worker id of p0 after its pause: the killed p1's")
                    .isEqualTo(killedWorkerId);
            // a generator stops at most a TTL after the last renewal it sent before the kill (its deadline is the TTL
            // less the margin, its latest timestamp the TTL); the heartbeat is slack for an id logged late
            long fencedFrom = outage.killedNanos() + TTL.plus(HEARTBEAT).toNanos();
            softly.assertThat(idsBetween(logs, fencedFrom, outage.restartedNanos()))
                    .as(
                            "ids issued while the quorum was lost, %d ms after the kill until the restart at %d ms",
                            TTL.plus(HEARTBEAT).toMillis(),
                            TimeUnit.NANOSECONDS.toMillis(outage.restartedNanos() - outage.killedNanos()))
                    .isZero();
            FaultLogs.Violations errors = logs.errorViolations(errorPolicy());
            softly.assertThat(errors.count()).as(errors.toString()).isZero();
            softly.assertAll();
        }
    }

    /**
     * The exceptions a generating thread or a starting lease may see: etcd unreachable or without a leader (retryable),
     * no free worker id (not retryable: a holder must stop first), a lease that cannot be proven or whose previous
     * holder's timestamps are ahead (both pass by themselves). Anything else fails the test.
     */
    private static ErrorPolicy errorPolicy() {
        return ErrorPolicy.subtypesOf(IdAllocatorException.class.getName())
                .allow(EtcdUnavailableException.class, true)
                .allow(IdsExhaustedException.class, false)
                .allow(WorkerLeaseLostException.class, true)
                .allow(WorkerIdUnavailableException.class, true);
    }

    private static List<String> arguments(EtcdCluster cluster) {
        return List.of(
                "endpoints=" + String.join(",", cluster.endpoints()),
                "namespace=" + NAMESPACE,
                "max-worker=" + MAX_WORKER,
                "ttl-ms=" + TTL.toMillis(),
                "heartbeat-ms=" + HEARTBEAT.toMillis(),
                "margin-ms=" + MARGIN.toMillis(),
                "handover-ms=" + HANDOVER.toMillis(),
                "timeout-ms=" + REQUEST_TIMEOUT.toMillis(),
                "threads=2",
                "pace-us=100");
    }

    /**
     * Kills {@code members} with SIGKILL, waits {@code down}, restarts them one by one (each waits for health); returns
     * when they were killed and when the first restart began.
     */
    private static Outage killAndRestart(List<EtcdProcess> members, Duration down, List<String> faults, String role) {
        for (EtcdProcess member : members) {
            member.kill();
        }
        long killedAt = System.nanoTime();
        sleepUntil(killedAt + down.toNanos());
        long restartedAt = System.nanoTime();
        for (EtcdProcess member : members) {
            member.restart();
        }
        faults.add("kill -9 etcd " + role + " "
                + members.stream().map(EtcdProcess::name).toList() + ", back after " + millisSince(killedAt) + " ms");
        return new Outage(killedAt, restartedAt);
    }

    /** {@link System#nanoTime()} once etcd members were killed, and when the first of them was started again. */
    private record Outage(long killedNanos, long restartedNanos) {}

    /** How many lease events of each type each process logged, such as {@code p0 LEASE-LOST -> 2}. */
    private static Map<String, Long> leaseEvents(FaultLogs logs) {
        Map<String, Long> counts = new TreeMap<>();
        for (FaultLogs.Event mark : logs.events("MARK")) {
            if (mark.field(0).startsWith("LEASE-")) {
                counts.merge(mark.process() + " " + mark.field(0), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** How many ids the processes logged from {@code fromNanos} (exclusive) to {@code toNanos} (exclusive). */
    private static long idsBetween(FaultLogs logs, long fromNanos, long toNanos) {
        long count = 0;
        for (String process : logs.idCounts().keySet()) {
            for (long nanos : logs.timedIds(process)[0]) {
                if (nanos - fromNanos > 0 && nanos - toNanos < 0) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Whether etcd holds a claim of {@code workerId} now (a read through the cluster). */
    private static boolean isClaimed(Client client, long workerId) {
        try {
            return client.getKVClient()
                            .get(ByteSequence.from(NAMESPACE + "workers/" + workerId, StandardCharsets.UTF_8))
                            .get(REQUEST_TIMEOUT.toMillis() * 4, TimeUnit.MILLISECONDS)
                            .getCount()
                    > 0;
        } catch (ExecutionException | TimeoutException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    /** The worker id {@code worker} acquired last. */
    private static long latestWorkerId(WorkerProcess worker) {
        return worker.outputLines().stream()
                .filter(line -> line.startsWith("ACQUIRED "))
                .map(line -> Long.parseLong(line.substring("ACQUIRED ".length())))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError(worker.name() + " acquired no worker id" + worker.outputTail()));
    }

    private static long acquisitions(WorkerProcess worker) {
        return worker.outputLines().stream()
                .filter(line -> line.startsWith("ACQUIRED "))
                .count();
    }

    /** The worker ids the ids of {@code process} carry. */
    private static Set<Long> workerIds(FaultLogs logs, String process) {
        Set<Long> workerIds = new TreeSet<>();
        for (long id : logs.ids(process)) {
            workerIds.add(DECODER.decompose(id).workerId());
        }
        return workerIds;
    }

    private static long lastIssuedNanos(FaultLogs logs, String process) {
        long last = Long.MIN_VALUE;
        for (long nanos : logs.timedIds(process)[0]) {
            last = Math.max(last, nanos);
        }
        return last;
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static void sleepUntil(long nanos) {
        long remaining = nanos - System.nanoTime();
        if (remaining <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(remaining);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    /** The worker JVMs of the test, each in {@code <directory>/<name>}, with the test's common arguments. */
    private static final class Workers extends WorkerGroup {
        private final List<String> arguments;
        private long issuingAgainNanos;

        Workers(Path directory, List<String> arguments) {
            super(directory);
            this.arguments = arguments;
        }

        /** Starts a worker without waiting for it. */
        WorkerProcess start(String name, String... extraArguments) {
            List<String> all = new ArrayList<>(arguments);
            all.addAll(List.of(extraArguments));
            return start(name, EtcdSnowflakeWorker.class, all);
        }

        /** Waits until every live worker logged an id issued after {@code nanos}. */
        void awaitIssuingAfter(long nanos) {
            List<WorkerProcess> alive =
                    workers().stream().filter(WorkerProcess::isAlive).toList();
            WorkerGroup.await("ids from every live worker " + alive, RECOVERY_TIMEOUT, () -> alive.stream()
                    .allMatch(w -> lastIssuedNanos(FaultLogs.read(w.directory()), w.name()) > nanos));
            issuingAgainNanos = System.nanoTime() - nanos;
        }

        /** How long the last {@link #awaitIssuingAfter(long)} waited. */
        long issuingAgainNanos() {
            return issuingAgainNanos;
        }

        Map<String, Set<Long>> workerIds(FaultLogs logs) {
            Map<String, Set<Long>> byProcess = new LinkedHashMap<>();
            workers().forEach(w -> byProcess.put(w.name(), EtcdSnowflakeFaultTest.workerIds(logs, w.name())));
            return byProcess;
        }
    }
}
