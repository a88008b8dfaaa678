package io.github.idallocator.tck.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.InstanceIds;
import io.github.idallocator.tasks.Backoff;
import io.github.idallocator.tasks.ClaimedTask;
import io.github.idallocator.tasks.RedisTaskQueue;
import io.github.idallocator.tasks.Retry;
import io.github.idallocator.tasks.SubmitOptions;
import io.github.idallocator.tasks.TaskQueue;
import io.github.idallocator.tasks.TaskQueueConfig;
import io.github.idallocator.tck.TaskQueueContractTest;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The task queue contract on Redis, through Lettuce and through Jedis, plus what is Redis's own: every key of a queue
 * carries the queue's hash tag, so a queue lives in one Redis Cluster slot. Every queue instance has a connection of its
 * own, as the instances of separate processes would.
 */
@WithRedisClients
class RedisTaskQueueContractTest extends TaskQueueContractTest {

    /** Every key matching ARGV[1] and its PTTL, read at once. */
    private static final String KEYS_AND_TTLS =
            """
            local out = {}
            for _, k in ipairs(redis.call('KEYS', ARGV[1])) do
              out[#out + 1] = k
              out[#out + 1] = redis.call('PTTL', k)
            end
            return out
            """;

    private final RedisClient client;
    private final RedisServerProcess server;
    private final List<AutoCloseable> closers = new ArrayList<>();

    RedisTaskQueueContractTest(RedisClient client, RedisServerProcess server) {
        this.client = client;
        this.server = server;
    }

    @Override
    protected TaskQueue createQueue(TaskQueueConfig config) {
        RedisClient.Factory factory = client.connect(server);
        closers.add(factory);
        RedisTaskQueue queue = RedisTaskQueue.create(factory.connectionFactory(), config, InstanceIds.generate());
        closers.add(queue);
        return queue;
    }

    @Override
    protected Map<String, Long> storedKeys(TaskQueueConfig config) {
        List<?> flat = (List<?>) server.command("EVAL", KEYS_AND_TTLS, "0", "*{tasks:" + config.name() + "}*");
        Map<String, Long> ttls = new TreeMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            ttls.put(flat.get(i).toString(), (Long) flat.get(i + 1));
        }
        return ttls;
    }

    @Override
    protected void loseQueue(TaskQueueConfig config) {
        for (String key : storedKeys(config).keySet()) {
            server.command("DEL", key);
        }
    }

    @Override
    protected void closeQueues() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
        closers.clear();
    }

    @Test
    void everyKeyOfAQueueCarriesTheQueuesHashTag() {
        TaskQueue queue = queue(b -> b.maxAttempts(1).backoff(Backoff.fixed(Duration.ZERO)));
        queue.submit("later", SubmitOptions.defaults().delay(Duration.ofSeconds(60)));
        queue.submit("a");
        queue.submit("b");
        queue.submit("c");
        queue.submit("d");
        List<ClaimedTask> claimed = queue.claim(3);
        queue.complete(claimed.get(0), "ok");
        queue.fail(claimed.get(1), "fatal", Retry.NEVER);
        queue.progress(claimed.get(2), 1, 2);
        queue.announce("worker-1", Duration.ofSeconds(30));

        List<String> keys = ((List<?>) server.command("KEYS", "*" + queueName() + "*"))
                .stream().map(Object::toString).toList();

        assertThat(keys)
                .as("keys of the queue: meta, tasks, payloads, results, errors, ready, due, running, dead, expiry, "
                        + "workers")
                .hasSize(11)
                .allSatisfy(key ->
                        assertThat(key).startsWith(queue.config().keyPrefix() + ":{tasks:" + queueName() + "}:"));
    }
}
