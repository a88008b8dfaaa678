package io.github.idallocator.tck.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.tasks.Backoff;
import io.github.idallocator.tasks.ClaimedTask;
import io.github.idallocator.tasks.DeadTask;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.Retry;
import io.github.idallocator.tasks.SubmitOptions;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.tasks.TaskQueueStats;
import io.github.idallocator.tasks.TaskState;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.RedisClusterProcesses;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Task queues on a Redis Cluster of three masters, through Lettuce and Jedis: each queue's keys share one hash tag, so
 * a queue lives in one slot and each of its operations runs on the node of that slot; queues spread over the nodes.
 */
@ParameterizedClass
@ValueSource(strings = {"lettuce", "jedis"})
class RedisTaskQueueClusterTest {

    private static RedisClusterProcesses cluster;

    @Parameter
    String client;

    private final List<RedisConnectionFactory> factories = new ArrayList<>();
    private final List<RedisTaskQueue> queues = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcesses.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void disconnect() throws Exception {
        queues.forEach(RedisTaskQueue::close);
        for (RedisConnectionFactory factory : factories) {
            ((DisposableBean) factory).destroy();
        }
    }

    @Test
    void queuesOnEveryNodeSubmitClaimCompleteFailAndRequeueWithAllTheirKeysInOneSlot() {
        for (int shard = 0; shard < cluster.servers().size(); shard++) {
            TaskQueueConfig config = configOnShard(shard, Duration.ofSeconds(10));
            RedisTaskQueue queue = queue(config);

            queue.submit("ok", SubmitOptions.defaults().taskId("ok").priority(2));
            queue.submit("bad", SubmitOptions.defaults().taskId("bad").priority(1));
            queue.submit("later", SubmitOptions.defaults().delay(Duration.ofSeconds(60)));
            List<ClaimedTask> claimed = queue.claim(5);
            assertThat(claimed).extracting(ClaimedTask::id).containsExactly("ok", "bad");
            assertThat(queue.complete(claimed.get(0), "done")).isTrue();
            assertThat(queue.fail(claimed.get(1), "fatal", Retry.NEVER)).contains(TaskState.DEAD);
            assertThat(queue.dead(0, 10).tasks()).extracting(DeadTask::id).containsExactly("bad");
            assertThat(queue.requeue("bad")).isTrue();
            ClaimedTask again = queue.claim(1).get(0);
            assertThat(again.attempt()).isEqualTo(1);
            assertThat(again.fencingToken()).isGreaterThan(claimed.get(1).fencingToken());
            assertThat(queue.fail(again, "transient")).contains(TaskState.DELAYED);
            assertThat(queue.result("ok", Duration.ofSeconds(1))).isEqualTo("done");

            TaskQueueStats stats = queue.stats();
            assertThat(stats.submitted()).isEqualTo(3);
            assertThat(stats.completed()).isEqualTo(1);
            assertThat(stats.delayed()).isEqualTo(2);
            assertThat(stats.failed()).isEqualTo(2);
            assertThat(stats.requeued()).isEqualTo(1);
            assertThat(stats.dead()).isZero();

            RedisServerProcess node = cluster.servers().get(shard);
            Map<String, Long> keys = keysWithTtl(node, config);
            assertThat(keys)
                    .as("keys of %s on its node %s", config.name(), node.address())
                    .allSatisfy((key, ttl) -> assertThat(ttl).as(key).isPositive());
            String prefix = config.keyPrefix() + ":{tasks:" + config.name() + "}:";
            assertThat(keys.keySet())
                    .containsExactlyInAnyOrder(
                            Stream.of("meta", "tasks", "payloads", "results", "errors", "due", "expiry")
                                    .map(prefix::concat)
                                    .toArray(String[]::new));
            for (RedisServerProcess other : cluster.servers()) {
                if (other != node) {
                    assertThat(keysWithTtl(other, config))
                            .as("keys on %s", other.address())
                            .isEmpty();
                }
            }
        }
    }

    @Test
    void aTaskNotFinishedInTimeIsClaimedAgainThroughAnotherConnectionAndTheLateWorkerIsRefused() throws Exception {
        TaskQueueConfig config = configOnShard(1, Duration.ofSeconds(1));
        RedisTaskQueue first = queue(config);
        RedisTaskQueue second = queue(config);
        CompletableFuture<List<ClaimedTask>> waiting =
                CompletableFuture.supplyAsync(() -> second.claim(1, Duration.ofSeconds(10)));
        String id = first.submit("work").id();
        ClaimedTask claimed = waiting.get(10, TimeUnit.SECONDS).get(0);
        assertThat(claimed.id()).isEqualTo(id);

        ClaimedTask again = first.claim(1, Duration.ofSeconds(10)).get(0);

        assertThat(again.attempt()).isEqualTo(2);
        assertThat(second.complete(claimed, "late")).isFalse();
        assertThat(first.complete(again, "done")).isTrue();
        assertThat(second.result(id, Duration.ofSeconds(1))).isEqualTo("done");
    }

    /** A configuration of a new queue whose slot is on shard {@code shard}. */
    private static TaskQueueConfig configOnShard(int shard, Duration visibility) {
        while (true) {
            TaskQueueConfig config = TaskQueueConfig.builder("cluster-" + UUID.randomUUID())
                    .visibilityTimeout(visibility)
                    .backoff(Backoff.fixed(Duration.ofSeconds(60)))
                    .pollBound(Duration.ofMillis(50))
                    .build();
            String key = config.keyPrefix() + ":{tasks:" + config.name() + "}:meta";
            if (cluster.shardForKey(key) == shard) {
                return config;
            }
        }
    }

    private static Map<String, Long> keysWithTtl(RedisServerProcess node, TaskQueueConfig config) {
        Map<String, Long> keys = new TreeMap<>();
        for (Object key : (List<?>) node.command("KEYS", "*{tasks:" + config.name() + "}*")) {
            keys.put(key.toString(), (Long) node.command("PTTL", key.toString()));
        }
        return keys;
    }

    private RedisTaskQueue queue(TaskQueueConfig config) {
        RedisConnectionFactory factory = connect(cluster.nodes());
        factories.add(factory);
        RedisTaskQueue queue = RedisTaskQueue.create(factory, config, InstanceIds.generate());
        queues.add(queue);
        return queue;
    }

    /** A started connection factory of this round's client for the cluster of {@code nodes}. */
    private RedisConnectionFactory connect(List<String> nodes) {
        if (client.equals("lettuce")) {
            LettuceConnectionFactory factory = new LettuceConnectionFactory(
                    new RedisClusterConfiguration(nodes),
                    LettuceClientConfiguration.builder()
                            .commandTimeout(RedisClient.TIMEOUT)
                            .clientOptions(ClusterClientOptions.builder()
                                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                            .enableAllAdaptiveRefreshTriggers()
                                            .build())
                                    .build())
                            .build());
            factory.afterPropertiesSet();
            factory.start();
            return factory;
        }
        JedisConnectionFactory factory = new JedisConnectionFactory(
                new RedisClusterConfiguration(nodes),
                JedisClientConfiguration.builder()
                        .connectTimeout(RedisClient.TIMEOUT)
                        .readTimeout(RedisClient.TIMEOUT)
                        .usePooling()
                        .build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
