package io.github.idallocator.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.idallocator.KeyConflictException;
import io.github.idallocator.RedisUnavailableException;
import io.github.idallocator.test.RedisClient;
import io.github.idallocator.test.RedisServerProcess;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a segment sequence does when Redis itself loses the counter, restarts or is down, or holds a key of another type,
 * through Lettuce and through Jedis. The backend-neutral contract is {@code allocator-tck}'s {@code
 * SequenceAllocatorContractTest}, run on Redis by {@code RedisSequenceAllocatorContractTest}.
 */
@WithRedisClients
class RedisSequenceAllocatorTest {

    private final RedisClient client;
    private RedisServerProcess server;
    private final List<RedisClient.Factory> factories = new ArrayList<>();
    private String name;

    RedisSequenceAllocatorTest(RedisClient client) {
        this.client = client;
    }

    @BeforeEach
    void setUp(RedisServerProcess server) {
        this.server = server;
        this.name = "seq-" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        factories.forEach(RedisClient.Factory::close);
    }

    /**
     * A sequence on a connection of its own, without recovery period unless the test sets one (see {@link
     * SequenceRecoveryTest} for the recovery period and the lease).
     */
    private RedisSequenceAllocator sequence(RedisServerProcess to, UnaryOperator<SequenceConfig.Builder> custom) {
        RedisClient.Factory factory = client.connect(to);
        factories.add(factory);
        return RedisSequenceAllocator.create(
                factory.connectionFactory(),
                custom.apply(SequenceConfig.builder(name).recoveryPeriod(Duration.ZERO))
                        .build());
    }

    private RedisSequenceAllocator sequence(UnaryOperator<SequenceConfig.Builder> custom) {
        return sequence(server, custom);
    }

    private static long[] drain(SequenceAllocator sequence, int count) {
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = sequence.next();
        }
        return ids;
    }

    @Test
    void aFlushedCounterIsRefusedMovedForwardAndReportedWithoutRepeatingAnId() {
        RedisSequenceAllocator a = sequence(b -> b.step(100).maxStep(100));
        RedisSequenceAllocator b = sequence(c -> c.step(100).maxStep(100));
        List<SequenceRepair> repairs = new CopyOnWriteArrayList<>();
        a.addRepairListener(repairs::add);
        long[] before = concat(drain(a, 250), drain(b, 250));

        server.command("DEL", "idalloc:{" + name + "}:sequence");
        long[] after = concat(drain(a, 250), drain(b, 250));

        assertThat(concat(before, after)).doesNotHaveDuplicates();
        assertThat(repairs).singleElement().satisfies(r -> assertThat(r.dataLoss())
                .isTrue());
        assertThat(a.stats().repairs()).isEqualTo(1);
    }

    @Test
    void aRestartedRedisWithoutPersistenceNeverMakesAnIdRepeat() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            RedisSequenceAllocator a = sequence(own, b -> b.step(100).maxStep(100));
            RedisSequenceAllocator b = sequence(own, c -> c.step(100).maxStep(100));
            long[] before = concat(drain(a, 300), drain(b, 300));

            own.kill();
            own.restart();
            long[] after = await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptionsInstanceOf(RedisUnavailableException.class)
                    .until(() -> concat(drain(a, 300), drain(b, 300)), ids -> true);

            assertThat(concat(before, after)).doesNotHaveDuplicates();
        }
    }

    @Test
    void callersAreServedFromTheCurrentSegmentWhileRedisIsDownThenGetATypedErrorThenRecover() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            RedisSequenceAllocator sequence =
                    sequence(own, b -> b.step(100).maxStep(100).prefetchThreshold(0.3));
            long[] first = drain(sequence, 40);

            own.kill();
            long[] rest = drain(sequence, 60);
            assertThatThrownBy(sequence::next)
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining(name);
            own.restart();

            long resumed = await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptionsInstanceOf(RedisUnavailableException.class)
                    .until(sequence::next, id -> true);
            assertThat(concat(first, rest)).isSorted().doesNotHaveDuplicates();
            assertThat(resumed).isGreaterThan(rest[rest.length - 1]);
        }
    }

    @Test
    void aKeyOfAnotherTypeIsReportedAndLeftUntouched() {
        server.command("SET", "idalloc:{" + name + "}:sequence", "42");
        RedisSequenceAllocator sequence = sequence(b -> b);

        assertThatThrownBy(sequence::next).isInstanceOf(KeyConflictException.class);
        assertThat(server.command("GET", "idalloc:{" + name + "}:sequence")).isEqualTo("42");
    }

    private static long[] concat(long[] a, long[] b) {
        long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
