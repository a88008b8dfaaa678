package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.NotCreatorException;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.RedisServerProcess;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The creator protocol: one instance holds the creator lease, a consumer takes over within one creator TTL of the
 * creator's last renewal (at once after a release), only the holder can renew or release it, and two instances never
 * consider themselves creator at the same moment.
 *
 * <p>A crash is simulated by no longer calling {@code heartbeat()} on an instance (or shutting down its heartbeat's
 * scheduler): {@link AllocatorHeartbeat#close()} would release the role, which is the graceful path.
 */
@WithRedisClients
class CreatorElectionTest {

    private static final Duration CREATOR_TTL = Duration.ofMillis(300);
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    /** Scheduling and round-trip allowance on a busy build machine. */
    private static final Duration SLACK = Duration.ofMillis(200);

    private final RedisClient client;

    CreatorElectionTest(RedisClient client) {
        this.client = client;
    }

    private RedisServerProcess server;
    private String name;
    private final List<RedisClient.Factory> factories = new ArrayList<>();

    @BeforeEach
    void connect(RedisServerProcess server) {
        this.server = server;
        this.name = "creator-" + UUID.randomUUID();
    }

    @AfterEach
    void disconnect() {
        factories.forEach(RedisClient.Factory::close);
    }

    /** An instance on a connection factory of its own; creating it runs its first heartbeat. */
    private RedisIdAllocator instance(String instanceId) {
        return instance(instanceId, CREATOR_TTL, HEARTBEAT);
    }

    private RedisIdAllocator instance(String instanceId, Duration creatorTtl, Duration heartbeat) {
        RedisClient.Factory factory = client.connect(server);
        factories.add(factory);
        IdAllocatorConfig config = IdAllocatorConfig.builder(name, 0, 99)
                .reuseDelay(Duration.ZERO)
                .creatorTtl(creatorTtl)
                .heartbeatInterval(heartbeat)
                .build();
        return RedisIdAllocator.createOrAttach(factory.connectionFactory(), config, instanceId);
    }

    private static List<String> recordRoleChanges(RedisIdAllocator allocator) {
        List<String> changes = new CopyOnWriteArrayList<>();
        allocator.addRoleListener((name, previous, current) -> changes.add(previous + "->" + current));
        return changes;
    }

    /** Calls heartbeat() every heartbeat interval, as AllocatorHeartbeat would, until the instance is creator. */
    private static void heartbeatUntilCreator(RedisIdAllocator allocator, Duration atMost) {
        await().atMost(atMost)
                .pollDelay(Duration.ZERO)
                .pollInterval(allocator.config().heartbeatInterval())
                .until(() -> allocator.heartbeat() == Role.CREATOR);
    }

    @Test
    void theFirstInstanceBecomesCreatorAndLaterOnesConsumers() {
        RedisIdAllocator a = instance("instance-a");
        RedisIdAllocator b = instance("instance-b");
        RedisIdAllocator c = instance("instance-c");

        assertThat(a.role()).isEqualTo(Role.CREATOR);
        assertThat(b.role()).isEqualTo(Role.CONSUMER);
        assertThat(c.role()).isEqualTo(Role.CONSUMER);
        AllocatorStats seenByB = b.stats();
        assertThat(seenByB.role()).isEqualTo(Role.CONSUMER);
        assertThat(seenByB.creatorId()).isEqualTo("instance-a");
        assertThat(seenByB.creatorLeaseRemaining()).isPositive().isLessThanOrEqualTo(CREATOR_TTL);
    }

    @Test
    void aConsumerNeverTakesOverFromACreatorThatKeepsRenewing() {
        RedisIdAllocator a = instance("instance-a", Duration.ofMillis(200), Duration.ofMillis(50));
        RedisIdAllocator b = instance("instance-b", Duration.ofMillis(200), Duration.ofMillis(50));

        try (AllocatorHeartbeat heartbeat = AllocatorHeartbeat.start(a)) {
            await().during(Duration.ofMillis(600))
                    .atMost(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> b.heartbeat() == Role.CONSUMER && a.role() == Role.CREATOR);
            assertThat(b.stats().creatorId()).isEqualTo("instance-a");
        }
    }

    @Test
    void aConsumerTakesOverOnlyAfterTheCreatorsLeaseLapsedAndAtMostOneHeartbeatLater() {
        RedisIdAllocator a = instance("instance-a");
        RedisIdAllocator b = instance("instance-b");
        List<String> changesOfB = recordRoleChanges(b);

        long lastRenewal = System.nanoTime();
        assertThat(a.heartbeat()).isEqualTo(Role.CREATOR);
        heartbeatUntilCreator(b, Duration.ofSeconds(2));
        Duration takeover = Duration.ofNanos(System.nanoTime() - lastRenewal);

        assertThat(takeover)
                .as("time from the creator's last renewal to the takeover")
                .isGreaterThanOrEqualTo(CREATOR_TTL.minusMillis(5))
                .isLessThanOrEqualTo(CREATOR_TTL.plus(HEARTBEAT).plus(SLACK));
        assertThat(changesOfB).containsExactly("CONSUMER->CREATOR");
        assertThat(b.stats().creatorId()).isEqualTo("instance-b");
    }

    @Test
    void theFormerCreatorHasStoppedConsideringItselfCreatorBeforeTheNewOneStarts() {
        RedisIdAllocator a = instance("instance-a");
        RedisIdAllocator b = instance("instance-b");
        assertThat(a.heartbeat()).isEqualTo(Role.CREATOR);

        heartbeatUntilCreator(b, Duration.ofSeconds(2));

        assertThat(a.role()).isEqualTo(Role.CONSUMER);
    }

    @Test
    void aCreatorTurnsConsumerByItsOwnClockOnceItsLeaseTimeHasPassedWithoutARenewal() {
        RedisIdAllocator a = instance("instance-a");

        long sent = System.nanoTime();
        assertThat(a.heartbeat()).isEqualTo(Role.CREATOR);
        assertThat(a.role()).isEqualTo(Role.CREATOR);
        await().atMost(CREATOR_TTL.plus(SLACK))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> a.role() == Role.CONSUMER);
        Duration lapsed = Duration.ofNanos(System.nanoTime() - sent);

        assertThat(lapsed).isGreaterThanOrEqualTo(CREATOR_TTL);
    }

    @Test
    void aFormerCreatorCanNeitherCleanUpNorClearAndItsNextHeartbeatReportsConsumer() {
        RedisIdAllocator a = instance("instance-a");
        RedisIdAllocator b = instance("instance-b");
        List<String> changesOfA = recordRoleChanges(a);
        Lease lease = b.allocate();
        heartbeatUntilCreator(b, Duration.ofSeconds(2));

        assertThatThrownBy(a::cleanupExpired)
                .isInstanceOf(NotCreatorException.class)
                .hasMessageContaining("instance-b");
        assertThatThrownBy(a::clearAll).isInstanceOf(NotCreatorException.class).hasMessageContaining("instance-b");
        assertThat(a.isAllocated(lease.id())).isTrue();
        assertThat(a.heartbeat()).isEqualTo(Role.CONSUMER);
        assertThat(changesOfA).containsExactly("CREATOR->CONSUMER");
        assertThat(b.cleanupExpired()).isZero();
    }

    @Test
    void releasingTheCreatorRoleLetsAConsumerTakeOverAtItsNextHeartbeat() {
        Duration longLease = Duration.ofSeconds(30);
        RedisIdAllocator a = instance("instance-a", longLease, Duration.ofSeconds(1));
        RedisIdAllocator b = instance("instance-b", longLease, Duration.ofSeconds(1));
        List<String> changesOfA = recordRoleChanges(a);
        List<String> changesOfB = recordRoleChanges(b);

        a.releaseCreatorRole();

        assertThat(a.role()).isEqualTo(Role.CONSUMER);
        assertThat(changesOfA).containsExactly("CREATOR->CONSUMER");
        assertThat(b.heartbeat()).isEqualTo(Role.CREATOR);
        assertThat(changesOfB).containsExactly("CONSUMER->CREATOR");
        assertThat(b.stats().creatorId()).isEqualTo("instance-b");
        assertThat(a.heartbeat()).isEqualTo(Role.CONSUMER);
    }

    @Test
    void aLateHeartbeatOfTheFormerCreatorDoesNotRenewTheNewCreatorsLease() {
        RedisIdAllocator a = instance("instance-a");
        RedisIdAllocator b = instance("instance-b");
        heartbeatUntilCreator(b, Duration.ofSeconds(2));
        await().pollDelay(HEARTBEAT).atMost(HEARTBEAT.multipliedBy(2)).until(() -> true);
        Duration before = b.stats().creatorLeaseRemaining();

        Role lateRole = a.heartbeat();

        AllocatorStats after = b.stats();
        assertThat(lateRole).isEqualTo(Role.CONSUMER);
        assertThat(after.creatorId()).isEqualTo("instance-b");
        assertThat(after.creatorLeaseRemaining()).isLessThanOrEqualTo(before);
    }

    @Test
    void aLateReleaseByTheFormerCreatorDoesNotDropTheNewCreator() {
        RedisIdAllocator a = instance("instance-a");
        RedisIdAllocator b = instance("instance-b");
        heartbeatUntilCreator(b, Duration.ofSeconds(2));

        a.releaseCreatorRole();

        assertThat(b.stats().creatorId()).isEqualTo("instance-b");
        assertThat(b.role()).isEqualTo(Role.CREATOR);
        assertThat(b.cleanupExpired()).isZero();
    }

    @Test
    void aConsumerReleasingTheRoleChangesNothing() {
        RedisIdAllocator a = instance("instance-a");
        RedisIdAllocator b = instance("instance-b");

        b.releaseCreatorRole();

        assertThat(b.stats().creatorId()).isEqualTo("instance-a");
        assertThat(a.heartbeat()).isEqualTo(Role.CREATOR);
    }

    /**
     * {@code AllocatorHeartbeat.close()} on a caller's scheduler does not wait for a tick in flight. Redis is paused
     * ({@code CLIENT PAUSE}) so that the first tick is certainly in flight when close() releases the role; the tick's
     * renewal must not leave the closed instance creator.
     */
    @Test
    void closingAHeartbeatWhileATickIsInFlightStillLeavesTheInstanceConsumer() throws Exception {
        Duration longLease = Duration.ofSeconds(30);
        RedisIdAllocator a = instance("instance-a", longLease, Duration.ofSeconds(1));
        RedisIdAllocator b = instance("instance-b", longLease, Duration.ofSeconds(1));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            server.command("CLIENT", "PAUSE", "500", "ALL");
            AllocatorHeartbeat heartbeat = AllocatorHeartbeat.start(a, scheduler);
            await().pollDelay(Duration.ofMillis(100)).until(() -> true);

            heartbeat.close();
            scheduler.shutdown();
            assertThat(scheduler.awaitTermination(3, TimeUnit.SECONDS)).isTrue();

            assertThat(a.role()).as("role of the closed instance").isEqualTo(Role.CONSUMER);
            assertThat(b.heartbeat()).as("a consumer takes over at once").isEqualTo(Role.CREATOR);
        } finally {
            scheduler.shutdownNow();
            server.command("CLIENT", "UNPAUSE");
        }
    }

    /**
     * The allocator is thread-safe, so heartbeat() and releaseCreatorRole() may run at once on two threads. Redis is
     * paused so that both are in flight together; whichever wins, afterwards exactly one instance may be creator.
     */
    @Test
    void aHeartbeatRacingWithAReleaseOnTheSameInstanceLeavesExactlyOneCreator() throws Exception {
        Duration longLease = Duration.ofSeconds(30);
        RedisIdAllocator a = instance("instance-a", longLease, Duration.ofSeconds(1));
        RedisIdAllocator b = instance("instance-b", longLease, Duration.ofSeconds(1));
        ExecutorService heartbeatThread = Executors.newSingleThreadExecutor();
        try {
            server.command("CLIENT", "PAUSE", "500", "ALL");
            Future<Role> heartbeat = heartbeatThread.submit(a::heartbeat);
            await().pollDelay(Duration.ofMillis(100)).until(() -> true);

            a.releaseCreatorRole();
            heartbeat.get(3, TimeUnit.SECONDS);
            Role roleOfB = b.heartbeat();

            assertThat(List.of(a.role(), roleOfB))
                    .as(
                            "roles of a and b, with the creator key held by %s",
                            b.stats().creatorId())
                    .containsOnlyOnce(Role.CREATOR);
        } finally {
            heartbeatThread.shutdownNow();
            server.command("CLIENT", "UNPAUSE");
        }
    }

    @Test
    void twoInstancesNeverConsiderThemselvesCreatorAtTheSameMomentEvenWhenTheCreatorCrashes() throws Exception {
        Duration creatorTtl = Duration.ofMillis(200);
        Duration heartbeat = Duration.ofMillis(50);
        List<RedisIdAllocator> instances = new ArrayList<>();
        List<ScheduledExecutorService> schedulers = new ArrayList<>();
        List<AllocatorHeartbeat> heartbeats = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RedisIdAllocator instance = instance("instance-" + i, creatorTtl, heartbeat);
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            instances.add(instance);
            schedulers.add(scheduler);
            heartbeats.add(AllocatorHeartbeat.start(instance, scheduler));
        }
        RoleSampler sampler = new RoleSampler(instances);
        sampler.start();
        int crashed;
        try {
            await().during(Duration.ofMillis(800))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> sampler.overlaps.isEmpty());
            String creator = await().until(() -> instances.get(0).stats().creatorId(), Objects::nonNull);
            crashed = instances.stream().map(IdAllocator::instanceId).toList().indexOf(creator);
            assertThat(crashed)
                    .as("creator %s is one of the instances", creator)
                    .isNotNegative();

            schedulers.get(crashed).shutdown();
            assertThat(schedulers.get(crashed).awaitTermination(1, TimeUnit.SECONDS))
                    .isTrue();
            long crashedAt = System.nanoTime();
            int crashedIndex = crashed;
            await().atMost(creatorTtl.plus(heartbeat).plus(SLACK))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> creatorOtherThan(instances, crashedIndex) >= 0);
            Duration takeover = Duration.ofNanos(System.nanoTime() - crashedAt);

            assertThat(instances.get(crashed).role()).isEqualTo(Role.CONSUMER);
            assertThat(takeover).isLessThanOrEqualTo(creatorTtl.plus(heartbeat).plus(SLACK));
            await().during(Duration.ofMillis(800))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> sampler.overlaps.isEmpty());
        } finally {
            sampler.stop();
            for (ScheduledExecutorService scheduler : schedulers) {
                scheduler.shutdown();
                scheduler.awaitTermination(1, TimeUnit.SECONDS);
            }
            heartbeats.forEach(AllocatorHeartbeat::close);
        }

        assertThat(sampler.overlaps).as("moments with two creators").isEmpty();
        assertThat(sampler.samples.get()).as("samples taken").isGreaterThan(200);
        assertThat(sampler.creatorsSeen)
                .as("creators seen: the crashed one and its successor")
                .hasSizeGreaterThanOrEqualTo(2)
                .contains(instances.get(crashed).instanceId());
        assertThat(server.command("EXISTS", "idalloc:{" + name + "}:creator"))
                .as("after every heartbeat stopped and closed, the role was released")
                .isEqualTo(0L);
    }

    private static int creatorOtherThan(List<RedisIdAllocator> instances, int excluded) {
        for (int i = 0; i < instances.size(); i++) {
            if (i != excluded && instances.get(i).role() == Role.CREATOR) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Samples {@link IdAllocator#role()} of every instance in a tight loop. Reading several roles is not atomic, so one
     * sample reads them all twice in a row: an instance that is creator in both passes was creator during the whole
     * sample (its creator time is one interval), and two such instances were both creator at the start of the second
     * one's first read. That is an overlap; a role change between the two passes is not mistaken for one.
     */
    private static final class RoleSampler {
        final List<RedisIdAllocator> instances;
        final List<String> overlaps = new CopyOnWriteArrayList<>();
        final Set<String> creatorsSeen = ConcurrentHashMap.newKeySet();
        final AtomicLong samples = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        RoleSampler(List<RedisIdAllocator> instances) {
            this.instances = instances;
            this.thread = new Thread(this::run, "role-sampler");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(2000);
        }

        private void run() {
            int n = instances.size();
            Role[] first = new Role[n];
            while (running) {
                for (int i = 0; i < n; i++) {
                    first[i] = instances.get(i).role();
                }
                List<String> creators = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (instances.get(i).role() == Role.CREATOR && first[i] == Role.CREATOR) {
                        creators.add(instances.get(i).instanceId());
                    }
                }
                creatorsSeen.addAll(creators);
                if (creators.size() > 1) {
                    overlaps.add("at " + System.nanoTime() + ": " + creators);
                }
                samples.incrementAndGet();
                LockSupport.parkNanos(500_000);
            }
        }
    }
}
