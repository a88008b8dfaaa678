package io.github.idallocator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Submits and claims sweep (collect finished tasks, promote delayed ones, take back expired claims) only when the
 * queue's meta says something may be due, and then they do. Counted with {@code INFO commandstats} on a private
 * redis-server: a sweep is the only user of {@code ZRANGEBYSCORE} in a submit or claim.
 */
class TaskSweepTest {

    private RedisServerProcess redis;
    private LettuceConnectionFactory factory;

    @BeforeEach
    void start() {
        redis = RedisServerProcess.start();
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()));
        factory.afterPropertiesSet();
        factory.start();
    }

    @AfterEach
    void stop() {
        factory.destroy();
        redis.close();
    }

    private RedisTaskQueue queue(UnaryOperator<TaskQueueConfig.Builder> custom) {
        return RedisTaskQueue.create(
                factory, custom.apply(TaskQueueConfig.builder("sweep")).build(), "worker");
    }

    /** How many times Redis ran {@code command} since the last {@code CONFIG RESETSTAT}. */
    private long calls(String command) {
        String stats = redis.command("INFO", "commandstats").toString();
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return 0;
    }

    @Test
    void submitsAndClaimsWithNothingDueRunNoSweep() {
        try (RedisTaskQueue queue = queue(b -> b)) {
            queue.submit("a");
            queue.submit("b");
            ClaimedTask first = queue.claim(1).get(0);
            redis.command("CONFIG", "RESETSTAT");

            CompletedAndClaimed done = queue.completeAndClaim(first, "", 1);
            queue.submit("c");
            List<ClaimedTask> third = queue.claim(1);

            assertThat(done.claimed()).hasSize(1);
            assertThat(third).hasSize(1);
            assertThat(calls("evalsha")).isEqualTo(3);
            assertThat(calls("zrangebyscore")).as("sweeps").isZero();
        }
    }

    @Test
    void aClaimAfterADeadlinePassedSweepsAndTakesTheTaskBack() throws InterruptedException {
        try (RedisTaskQueue queue = queue(b -> b.visibilityTimeout(Duration.ofMillis(200)))) {
            String id = queue.submit("a").id();
            ClaimedTask lost = queue.claim(1).get(0);
            redis.command("CONFIG", "RESETSTAT");
            Thread.sleep(lost.remaining().toMillis() + 50);

            List<ClaimedTask> again = queue.claim(1);

            assertThat(again).extracting(ClaimedTask::id).containsExactly(id);
            assertThat(again.get(0).attempt()).isEqualTo(2);
            assertThat(calls("zrangebyscore")).as("the sweep's reads").isPositive();
        }
    }

    @Test
    void aSubmitAfterADelayedTaskBecameDueSweepsAndTheTaskIsClaimable() throws InterruptedException {
        try (RedisTaskQueue queue = queue(b -> b)) {
            String delayed = queue.submit("later", SubmitOptions.defaults().delay(Duration.ofMillis(100)))
                    .id();
            queue.submit("now");
            queue.claim(1);
            redis.command("CONFIG", "RESETSTAT");
            Thread.sleep(200);

            queue.submit("after");

            assertThat(calls("zrangebyscore")).as("the sweep's reads").isPositive();
            assertThat(queue.status(delayed).orElseThrow().state()).isEqualTo(TaskState.WAITING);
        }
    }
}
