package io.github.idallocator.autoconfigure.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.endpoint.IdAllocatorEndpointAutoConfiguration;
import io.github.idallocator.autoconfigure.health.IdAllocatorHealthContributorAutoConfiguration;
import io.github.idallocator.etcd.EtcdWorkerIdStore;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import io.github.idallocator.snowflake.WorkerIdStore;
import io.github.idallocator.spring.IdAllocators;
import io.github.idallocator.spring.SnowflakeWorker;
import io.github.idallocator.spring.actuate.endpoint.IdAllocatorEndpoint;
import io.github.idallocator.spring.actuate.endpoint.SnowflakeEndpoint;
import io.github.idallocator.spring.actuate.endpoint.SnowflakeEndpoint.SnowflakeDescriptor;
import io.github.idallocator.test.EtcdProcess;
import io.github.idallocator.test.WithEtcd;
import io.github.idallocator.test.WithRedisServer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code idallocator.snowflake.backend=etcd} on a real etcd (skipped where no etcd binary is installed). */
@WithRedisServer
@WithEtcd
class EtcdWorkerIdAutoConfigurationTests {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private static Client reader;

    private final RedisServerProcess redis;
    private final EtcdProcess etcd;

    EtcdWorkerIdAutoConfigurationTests(RedisServerProcess redis, EtcdProcess etcd) {
        this.redis = redis;
        this.etcd = etcd;
    }

    @BeforeAll
    static void connect(EtcdProcess etcd) {
        reader = Client.builder().endpoints(etcd.endpoint()).build();
    }

    @AfterAll
    static void disconnect() {
        if (reader != null) {
            reader.close();
        }
    }

    @Test
    void theWorkerIdIsClaimedFromEtcdAndNoRedisWorkerAllocatorIsCreated() {
        String prefix = TestContexts.uniquePrefix();
        String namespace = namespace();
        runner(namespace).withPropertyValues("idallocator.key-prefix=" + prefix).run(context -> {
            assertThat(context).hasNotFailed();
            SnowflakeWorker worker = context.getBean(SnowflakeWorker.class);
            SnowflakeIdGenerator generator = context.getBean(SnowflakeIdGenerator.class);

            long id = generator.nextId();

            assertThat(generator.decompose(id).workerId()).isEqualTo(generator.workerId());
            assertThat(worker.backend()).isEqualTo("etcd");
            assertThat(worker.store()).isInstanceOf(EtcdWorkerIdStore.class);
            assertThat(worker.workerAllocator()).isNull();
            assertThat(context.getBean(IdAllocators.class).internal()).isEmpty();
            assertThat(etcdValue(namespace + "workers/" + generator.workerId()))
                    .isEqualTo(context.getBean(WorkerIdStore.class).instanceId());
            assertThat((List<?>) redis.command("KEYS", prefix + ":*")).isEmpty();
        });
    }

    @Test
    void theNamespaceDefaultsToTheKeyPrefixAndWorkerAllocatorName() {
        String prefix = TestContexts.uniquePrefix();
        runner(null).withPropertyValues("idallocator.key-prefix=" + prefix).run(context -> assertThat(
                        context.getBean(WorkerIdStore.class).name())
                .isEqualTo(prefix + "/snowflake-workers/"));
    }

    @Test
    void twoApplicationsOnOneEtcdGetDifferentWorkerIds() {
        String namespace = namespace();
        ApplicationContextRunner runner = runner(namespace).withPropertyValues("idallocator.snowflake.worker-id-max=1");
        runner.run(first -> runner.run(second -> {
            long a = first.getBean(SnowflakeIdGenerator.class).workerId();
            long b = second.getBean(SnowflakeIdGenerator.class).workerId();

            assertThat(Set.of(a, b)).containsExactlyInAnyOrder(0L, 1L);
            assertThat(etcdValue(namespace + "workers/" + a)).isNotEqualTo(etcdValue(namespace + "workers/" + b));
        }));
    }

    @Test
    void shutdownFreesTheWorkerIdInEtcdAndClosesTheClient() throws Exception {
        String namespace = namespace();
        Set<Client> clients = new HashSet<>();
        Set<Long> workerIds = new HashSet<>();
        runner(namespace).run(context -> {
            clients.add(context.getBean(Client.class));
            workerIds.add(context.getBean(SnowflakeIdGenerator.class).workerId());
            assertThat(etcdValue(namespace + "workers/" + workerIds.iterator().next()))
                    .isNotNull();
        });

        assertThat(etcdValue(namespace + "workers/" + workerIds.iterator().next()))
                .isNull();
        Client closed = clients.iterator().next();
        assertThat(catchThrowable(() -> closed.getKVClient()
                        .get(ByteSequence.from("x", StandardCharsets.UTF_8))
                        .get(5, TimeUnit.SECONDS)))
                .as("a read through the closed client")
                .isNotNull();
    }

    @Test
    void healthShowsTheEtcdBackendAndNamespace() {
        String namespace = namespace();
        runner(namespace)
                .withConfiguration(AutoConfigurations.of(IdAllocatorHealthContributorAutoConfiguration.class))
                .run(context -> {
                    Health health = context.getBean("snowflakeHealthIndicator", HealthIndicator.class)
                            .health();

                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails())
                            .containsEntry("backend", "etcd")
                            .containsEntry("store", namespace)
                            .doesNotContainKey("allocator");
                });
    }

    @Test
    void theEndpointsShowTheEtcdBackendAndNamespace() {
        String namespace = namespace();
        runner(namespace)
                .withConfiguration(AutoConfigurations.of(IdAllocatorEndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=idallocator,snowflake")
                .run(context -> {
                    SnowflakeDescriptor fromIdAllocator = context.getBean(IdAllocatorEndpoint.class)
                            .allocators()
                            .snowflake();
                    SnowflakeDescriptor fromSnowflake =
                            context.getBean(SnowflakeEndpoint.class).snowflake();

                    for (SnowflakeDescriptor snowflake : new SnowflakeDescriptor[] {fromIdAllocator, fromSnowflake}) {
                        assertThat(snowflake.backend()).isEqualTo("etcd");
                        assertThat(snowflake.store()).isEqualTo(namespace);
                        assertThat(snowflake.lease().allocator()).isEqualTo(namespace);
                    }
                    assertThat(context.getBean(IdAllocatorEndpoint.class)
                                    .allocators()
                                    .allocators())
                            .doesNotContainKey("snowflake-workers");
                });
    }

    /** A runner with the etcd backend under {@code namespace}, or the default namespace when it is null. */
    private ApplicationContextRunner runner(@Nullable String namespace) {
        ApplicationContextRunner runner = TestContexts.withRedis(redis, EtcdWorkerIdAutoConfiguration.class)
                .withPropertyValues(
                        "idallocator.snowflake.enabled=true",
                        "idallocator.snowflake.backend=etcd",
                        "idallocator.snowflake.lease-ttl=3s",
                        "idallocator.snowflake.heartbeat-interval=500ms",
                        "idallocator.snowflake.safety-margin=200ms",
                        "idallocator.etcd.endpoints=" + etcd.endpoint(),
                        "idallocator.etcd.timeout=2s");
        return namespace == null ? runner : runner.withPropertyValues("idallocator.etcd.namespace=" + namespace);
    }

    private static String namespace() {
        return "test/starter-" + NAMESPACES.incrementAndGet() + "-"
                + ProcessHandle.current().pid() + "/";
    }

    private static @Nullable String etcdValue(String key) throws Exception {
        var kvs = reader.getKVClient()
                .get(ByteSequence.from(key, StandardCharsets.UTF_8))
                .get(5, TimeUnit.SECONDS)
                .getKvs();
        return kvs.isEmpty() ? null : kvs.get(0).getValue().toString(StandardCharsets.UTF_8);
    }
}
