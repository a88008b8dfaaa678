package io.github.idallocator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.RecoveringException;
import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.autoconfigure.pool.PoolAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.lock.LockConfig;
import io.github.idallocator.lock.LockLease;
import io.github.idallocator.lock.RedisLockService;
import io.github.idallocator.pool.AcquireOptions;
import io.github.idallocator.pool.PoolSnapshot;
import io.github.idallocator.pool.Removal;
import io.github.idallocator.pool.ResourceHealthCheck;
import io.github.idallocator.pool.ResourceLease;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.pool.Unhealthy;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Lease;
import io.github.idallocator.range.LeasePage;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.spring.SnowflakeWorker;
import io.github.idallocator.tasks.Backoff;
import io.github.idallocator.tasks.ClaimedTask;
import io.github.idallocator.tasks.CompletedAndClaimed;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.Retry;
import io.github.idallocator.tasks.SubmitOptions;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.tasks.TaskState;
import io.github.idallocator.tasks.TaskWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The ACL user of docs/operations.md can do everything the starter does (allocators, the Snowflake worker-id lease,
 * sequences, locks, pools, task queues); keep both lists the same.
 */
class LeastPrivilegeAclTests {

    /** The rules of the least-privilege user, as documented in docs/operations.md. */
    static final List<String> RULES = List.of(
            "on",
            ">change-me",
            "resetkeys",
            "~idalloc:*",
            "resetchannels",
            "&idalloc:*",
            "-@all",
            "+eval",
            "+evalsha",
            "+ping",
            "+hello",
            "+auth",
            "+select",
            "+client|setname",
            "+info",
            "+get",
            "+set",
            "+del",
            "+type",
            "+time",
            "+pexpire",
            "+pexpireat",
            "+pttl",
            "+getbit",
            "+getrange",
            "+setbit",
            "+setrange",
            "+strlen",
            "+bitpos",
            "+hget",
            "+hmget",
            "+hset",
            "+hdel",
            "+hlen",
            "+hexists",
            "+hincrby",
            "+hscan",
            "+zadd",
            "+zrem",
            "+zcount",
            "+zcard",
            "+zscore",
            "+zrank",
            "+zrange",
            "+zrangebylex",
            "+zrangebyscore",
            "+zrevrangebyscore",
            "+zrevrange",
            "+zremrangebyscore",
            "+publish",
            "+subscribe",
            "+unsubscribe");

    /** Creates the user of {@link #RULES} on {@code redis}. */
    private static void createAclUser(RedisServerProcess redis) {
        List<String> command = new ArrayList<>(List.of("ACL", "SETUSER", "idallocator"));
        command.addAll(RULES);
        redis.command(command.toArray(String[]::new));
    }

    /** Creates the user of {@link #RULES} and a started connection factory that logs in as it. */
    private static LettuceConnectionFactory connectAsAclUser(RedisServerProcess redis) {
        createAclUser(redis);
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(redis.host(), redis.port());
        server.setUsername("idallocator");
        server.setPassword("change-me");
        LettuceConnectionFactory factory = new LettuceConnectionFactory(server);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    @Test
    void theAclUserOfTheOperationsGuideHasExactlyTheseRules() throws Exception {
        Path guide = Path.of("..").toAbsolutePath().normalize().resolve("docs/operations.md");
        List<String> documented = Files.readAllLines(guide).stream()
                .filter(line -> line.startsWith("ACL SETUSER idallocator "))
                .map(line -> List.of(line.substring("ACL SETUSER idallocator ".length())
                        .trim()
                        .split("\\s+")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No 'ACL SETUSER idallocator' line in " + guide));

        assertThat(documented).containsExactlyElementsOf(RULES);
    }

    @Test
    void theDocumentedAclUserCanRunEveryOperationHeartbeatAndShutdownRelease() {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            createAclUser(redis);

            TestContexts.withRedis(redis)
                    .withPropertyValues(
                            "spring.data.redis.username=idallocator",
                            "spring.data.redis.password=change-me",
                            "idallocator.key-prefix=idalloc",
                            "idallocator.allocators.orders.max-id=99",
                            "idallocator.allocators.orders.reuse-delay=0",
                            "idallocator.allocators.orders.release-on-shutdown=true")
                    .run(context -> {
                        IdAllocator orders = context.getBean(IdAllocator.class);
                        Lease one = orders.allocate();
                        orders.allocate(3);
                        Lease range = orders.allocateRange(4);
                        assertThat(orders.reserve(50)).isPresent();
                        assertThat(orders.reserveRange(60, 61)).isPresent();
                        one = orders.extendTtl(one, Duration.ofMinutes(1));
                        assertThat(orders.leaseOf(range.firstId())).isPresent();
                        LeasePage page = orders.allocatedIds(LeasePage.START, 10);
                        assertThat(page.leases()).isNotEmpty();
                        assertThat(orders.stats().allocated()).isEqualTo(11);
                        orders.allocate(Duration.ofMillis(1));
                        Thread.sleep(5);
                        assertThat(orders.cleanupExpired()).isEqualTo(1);
                        assertThat(orders.free(one)).isTrue();
                        assertThat(orders.freeRange(range.firstId(), range.lastId()))
                                .isTrue();
                        assertThat(orders.forceFree(50)).isTrue();
                    });

            assertThat(redis.command("HLEN", "idalloc:{orders}:leases")).isEqualTo(0L);
            assertThat(redis.command("EXISTS", "idalloc:{orders}:creator")).isEqualTo(0L);
        }
    }

    @Test
    void theDocumentedAclUserCanLeaseRenewRecoverAndReleaseASnowflakeWorkerIdAndRunSequences() {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            createAclUser(redis);

            TestContexts.withSnowflake(redis)
                    .withPropertyValues(
                            "spring.data.redis.username=idallocator",
                            "spring.data.redis.password=change-me",
                            "idallocator.key-prefix=idalloc",
                            "idallocator.sequences.orders.step=5",
                            "idallocator.sequences.orders.floor=100",
                            "idallocator.sequences.orders.recovery-period=300ms")
                    .run(context -> {
                        SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);
                        generator.nextIds(10);
                        long workerId = generator.workerId();
                        IdAllocator workers =
                                context.getBean(SnowflakeWorker.class).workerAllocator();
                        assertThat(workers.forceFree(workerId)).isTrue();
                        await().atMost(Duration.ofSeconds(3))
                                .until(() -> workers.leaseOf(workerId).isPresent() && generator.isGranted());
                        generator.nextId();

                        SequenceAllocator orders = context.getBean(SequenceAllocator.class);
                        await().atMost(Duration.ofSeconds(3))
                                .ignoreExceptionsInstanceOf(RecoveringException.class)
                                .until(orders::next, id -> true);
                        for (int i = 1; i < 12; i++) {
                            orders.next();
                        }
                        assertThat(orders.stats().lastHandedOut()).isEqualTo(111);
                        assertThat(orders.stats().repairs()).isOne();
                    });

            assertThat(redis.command("HLEN", "idalloc:{snowflake-workers}:leases"))
                    .isEqualTo(0L);
            assertThat(redis.command("EXISTS", "idalloc:{snowflake-workers}:creator"))
                    .isEqualTo(0L);
        }
    }

    @Test
    void theDocumentedAclUserCanAcquireWaitForRenewAndReleaseLocks() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            LettuceConnectionFactory factory = connectAsAclUser(redis);
            LockConfig config = LockConfig.builder("acl")
                    .leaseTime(Duration.ofSeconds(1))
                    .waitPollBound(Duration.ofSeconds(30))
                    .build();
            try (RedisLockService holder = RedisLockService.create(factory, config);
                    RedisLockService waiter = RedisLockService.create(factory, config)) {
                holder.acquire("connect", Duration.ZERO).release();
                LockLease held = holder.acquire("report", Duration.ZERO);
                Thread.sleep(1500);
                assertThat(held.isHeld()).as("renewed").isTrue();
                CompletableFuture<LockLease> waiting =
                        CompletableFuture.supplyAsync(() -> waiter.acquire("report", Duration.ofSeconds(20)));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> redis.command("PUBSUB", "NUMSUB", "idalloc:lock-released:acl")
                                .toString()
                                .endsWith(", 1]"));
                assertThat(held.release()).isEqualTo(ReleaseOutcome.RELEASED);
                LockLease next = waiting.get(5, TimeUnit.SECONDS);
                assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
                assertThat(next.release()).isEqualTo(ReleaseOutcome.RELEASED);
            } finally {
                factory.destroy();
            }
        }
    }

    @Test
    void theDocumentedAclUserCanRunEveryTaskQueueOperationWorkersAndResultWaits() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            LettuceConnectionFactory factory = connectAsAclUser(redis);
            TaskQueueConfig config = TaskQueueConfig.builder("acl")
                    .maxAttempts(2)
                    .backoff(Backoff.fixed(Duration.ofMillis(100)))
                    .pollBound(Duration.ofSeconds(30))
                    .build();
            try (RedisTaskQueue queue = RedisTaskQueue.create(factory, config, "acl-1")) {
                String first = queue.submit("one", SubmitOptions.defaults().taskId("first"))
                        .id();
                assertThat(queue.submit("again", SubmitOptions.defaults().taskId("first"))
                                .created())
                        .isFalse();
                queue.submit("later", SubmitOptions.defaults().delay(Duration.ofMillis(200)));
                queue.submit("two");
                ClaimedTask task = queue.claim(1).get(0);
                assertThat(queue.extend(task)).isTrue();
                assertThat(queue.progress(task, 1, 2)).isTrue();
                CompletedAndClaimed done = queue.completeAndClaim(task, "ok", 1);
                assertThat(done.completed()).isTrue();
                ClaimedTask failing = done.claimed().get(0);
                assertThat(queue.fail(failing, "broken", Retry.NEVER)).contains(TaskState.DEAD);
                assertThat(queue.dead(0, 10).tasks()).hasSize(1);
                assertThat(queue.requeue(failing.id())).isTrue();
                assertThat(queue.announce("acl-1", Duration.ofSeconds(5))).isOne();
                assertThat(queue.status(first).orElseThrow().result()).isEqualTo("ok");

                CompletableFuture<List<ClaimedTask>> waiting =
                        CompletableFuture.supplyAsync(() -> queue.claim(5, Duration.ofSeconds(20)));
                List<ClaimedTask> woken = waiting.get(10, TimeUnit.SECONDS);
                assertThat(woken).isNotEmpty();
                for (ClaimedTask claimed : woken) {
                    assertThat(queue.complete(claimed, "done")).isTrue();
                }
                try (TaskWorkers workers = TaskWorkers.builder(queue, context -> "ran " + context.payload())
                        .threads(2)
                        .start()) {
                    String last = queue.submit("three").id();
                    assertThat(queue.result(last, Duration.ofSeconds(10))).isEqualTo("ran three");
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> queue.stats().waiting() + queue.stats().delayed() == 0);
                }
                assertThat(queue.stats().completed()).isEqualTo(4);
            } finally {
                factory.destroy();
            }
        }
    }

    @Test
    void theDocumentedAclUserCanRunEveryPoolOperationMaintenanceAndTheShutdownRelease() {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            createAclUser(redis);

            TestContexts.withRedis(redis, PoolAutoConfiguration.class)
                    .withUserConfiguration(PassingHealthCheck.class)
                    .withPropertyValues(
                            "spring.data.redis.username=idallocator",
                            "spring.data.redis.password=change-me",
                            "idallocator.key-prefix=idalloc",
                            "idallocator.pools.proxies.lease-time=1s",
                            "idallocator.pools.proxies.wait-poll-bound=30s",
                            "idallocator.pools.proxies.maintenance-interval=100ms",
                            "idallocator.pools.proxies.unhealthy-threshold=1",
                            "idallocator.pools.proxies.resources=proxy-1,proxy-2")
                    .run(context -> {
                        ResourcePool pool = context.getBean(ResourcePool.class);
                        ResourceLease bound = pool.acquire(
                                Duration.ZERO, AcquireOptions.defaults().preferBound("worker-7"));
                        ResourceLease other = pool.acquire(Duration.ZERO);
                        Thread.sleep(1500);
                        assertThat(bound.isHeld()).as("renewed").isTrue();
                        assertThat(pool.renew(other, Duration.ofSeconds(1))).isTrue();
                        CompletableFuture<ResourceLease> waiting =
                                CompletableFuture.supplyAsync(() -> pool.acquire(Duration.ofSeconds(20)));
                        await().atMost(Duration.ofSeconds(10))
                                .until(() -> redis.command("PUBSUB", "NUMSUB", "idalloc:pool-released:proxies")
                                        .toString()
                                        .endsWith(", 1]"));
                        assertThat(other.release()).isEqualTo(ReleaseOutcome.RELEASED);
                        ResourceLease next = waiting.get(5, TimeUnit.SECONDS);
                        assertThat(next.fencingToken()).isGreaterThan(other.fencingToken());

                        assertThat(next.release(Unhealthy.of(Duration.ofMinutes(5), "refused")))
                                .isEqualTo(ReleaseOutcome.RELEASED);
                        PoolSnapshot snapshot = pool.snapshot();
                        assertThat(snapshot.totals().autoQuarantined()).isEqualTo(1);
                        await().atMost(Duration.ofSeconds(5))
                                .until(() -> pool.snapshot().totals().quarantined() == 0);
                        PassingHealthCheck.passing.set(false); // else maintenance may restore it before restore does
                        assertThat(pool.quarantine(next.resource(), Duration.ofMinutes(5), "manual"))
                                .isTrue();
                        assertThat(pool.restore(next.resource())).isTrue();

                        assertThat(pool.binding("worker-7")).isPresent();
                        assertThat(pool.bindings(null, 10).bindings()).hasSize(1);
                        assertThat(pool.unbind("worker-7")).isTrue();

                        ResourceLease expiring = pool.tryAcquire(AcquireOptions.defaults()
                                        .leaseTime(Duration.ofMillis(100))
                                        .autoRenew(false))
                                .orElseThrow();
                        await().atMost(Duration.ofSeconds(5))
                                .until(() -> pool.snapshot().totals().expired() == 1);
                        assertThat(expiring.isHeld()).isFalse();

                        pool.add("proxy-3", 2, "spare");
                        assertThat(pool.remove("proxy-3", Removal.DRAIN)).isTrue();
                        ResourceLease revoked = pool.acquire(Duration.ZERO);
                        assertThat(pool.remove(revoked.resource(), Removal.FORCE))
                                .isTrue();
                        assertThat(revoked.release()).isEqualTo(ReleaseOutcome.REVOKED);
                        pool.add(revoked.resource());
                        pool.acquire(Duration.ZERO);
                    });

            assertThat(redis.command("HLEN", "idalloc:{pool:proxies}:leases")).isEqualTo(0L);
            assertThat(redis.command("EXISTS", "idalloc:{pool:proxies}:creator"))
                    .isEqualTo(0L);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PassingHealthCheck {

        /** Whether the health check passes; each test that uses it starts with true. */
        static final AtomicBoolean passing = new AtomicBoolean(true);

        @Bean
        ResourceHealthCheck healthCheck() {
            passing.set(true);
            return (resource, metadata) -> passing.get();
        }
    }
}
