package io.github.idallocator.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.idallocator.ConfigurationMismatchException;
import io.github.idallocator.KeyConflictException;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What the range allocator does with Redis itself, through Lettuce and through Jedis: its keys, the block summary, one
 * script per batch, keys it does not own, the stored configuration. The backend-neutral contract is {@code
 * allocator-tck}'s {@code IdAllocatorContractTest}, run on Redis by {@code RedisIdAllocatorContractTest}.
 */
@WithRedisClients
class RedisIdAllocatorTest extends AllocatorSpec {

    private RedisIdAllocator allocator(long min, long max) {
        return allocator(min, max, b -> b);
    }

    private RedisIdAllocator allocator(long min, long max, UnaryOperator<IdAllocatorConfig.Builder> custom) {
        return allocator("instance-a", min, max, custom);
    }

    private RedisIdAllocator allocator(
            String instance, long min, long max, UnaryOperator<IdAllocatorConfig.Builder> custom) {
        IdAllocatorConfig config = custom.apply(
                        IdAllocatorConfig.builder(name, min, max).reuseDelay(Duration.ZERO))
                .build();
        return RedisIdAllocator.createOrAttach(factory.connectionFactory(), config, instance);
    }

    private Set<String> keys() {
        @SuppressWarnings("unchecked")
        List<Object> found = (List<Object>) server.command("KEYS", "*{" + name + "}*");
        Set<String> names = new HashSet<>();
        found.forEach(k -> names.add(k instanceof byte[] b ? new String(b) : k.toString()));
        return names;
    }

    @Test
    void aLargeRangeLeaseMarksEveryBlockItFillsAsFull() {
        RedisIdAllocator ids = allocator(0, 70 * 4096 + 99);
        ids.reserve(5);

        ids.allocateRange(4 * 4096);
        ids.reserveRange(6 * 4096 - 10, 70 * 4096 + 99);

        String full = "idalloc:{" + name + "}:full";
        assertThat(server.command("BITCOUNT", full))
                .as("blocks 1, 2, 3 (the first range), 6 to 69 and the last, partial one (the second)")
                .isEqualTo(68L);
        assertThat(ids.allocate().id()).isZero();
        assertThat(ids.allocateRange(4096).firstId()).isEqualTo(4 * 4096 + 6);
    }

    @Test
    void aRangeOfAtMost64BlocksKeepsNoBlockSummary() {
        RedisIdAllocator ids = allocator(0, 64 * 4096 - 1);

        ids.allocateRange(8 * 4096);
        ids.free(ids.allocate());

        assertThat(server.command("EXISTS", "idalloc:{" + name + "}:full")).isEqualTo(0L);
        assertThat(ids.allocate().id()).isEqualTo(8 * 4096);
    }

    @Test
    void aBatchFreeIsOneScriptCall() {
        RedisIdAllocator ids = allocator(0, 999);
        ids.free(ids.allocate(1));
        List<Lease> leases = ids.allocate(200);
        long before = scriptCalls();

        ids.free(leases);

        assertThat(scriptCalls() - before).isEqualTo(1);
    }

    @Test
    void freeAllOwnedEndsEachPageOfLeasesInOneScript() {
        RedisIdAllocator ids = allocator(0, 9999);
        ids.free(ids.allocate(1));
        ids.allocate(1200);
        long before = scriptCalls();

        assertThat(ids.freeAllOwned()).isEqualTo(1200);

        // pages of about 500 leases (HSCAN COUNT 500): one list and one batch free each, never one script per lease
        assertThat(scriptCalls() - before).isLessThanOrEqualTo(12);
        assertThat(ids.stats().allocated()).isZero();
    }

    /** Script calls (EVALSHA and EVAL) the server has run so far, from INFO commandstats. */
    private long scriptCalls() {
        Object info = server.command("INFO", "commandstats");
        String text = info instanceof byte[] b ? new String(b) : info.toString();
        long calls = 0;
        for (String line : text.split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                String field = line.substring(line.indexOf("calls=") + "calls=".length());
                calls += Long.parseLong(field.substring(0, field.indexOf(',')));
            }
        }
        return calls;
    }

    @Test
    void aForceFreeChecksTheStoredConfigurationBeforeWriting() {
        RedisIdAllocator stale = allocator(0, 99);
        Lease lease = stale.allocate();
        server.command("DEL", "idalloc:{" + name + "}:meta");
        RedisIdAllocator current = allocator("instance-b", 0, 49, c -> c);

        assertThatThrownBy(() -> stale.forceFree(lease.id())).isInstanceOf(ConfigurationMismatchException.class);
        assertThat(current.isAllocated(lease.id())).isTrue();
    }

    @Test
    void anOwnersFreeChecksTheLeaseItselfNotTheStoredConfiguration() {
        RedisIdAllocator stale = allocator(0, 99);
        Lease lease = stale.allocate();
        server.command("DEL", "idalloc:{" + name + "}:meta");
        RedisIdAllocator current = allocator("instance-b", 0, 49, c -> c);

        assertThat(stale.free(lease)).isTrue();
        assertThat(current.isAllocated(lease.id())).isFalse();
    }

    @Test
    void aKeyOfAnotherTypeIsReportedAndLeftUntouched() {
        String leasesKey = "idalloc:{" + name + "}:leases";
        server.command("SET", leasesKey, "not ours");

        assertThatThrownBy(() -> allocator(0, 9))
                .isInstanceOf(KeyConflictException.class)
                .hasMessageContaining(leasesKey)
                .hasMessageContaining("string");
        assertThat(server.command("GET", leasesKey)).asString().contains("not ours");
        assertThat(keys()).containsExactly(leasesKey);
    }

    @Test
    void allKeysOfOneAllocatorShareOneHashTag() {
        RedisIdAllocator ids = allocator(0, 9, b -> b.reuseDelay(Duration.ofSeconds(5)));
        ids.allocateRange(2);
        ids.free(ids.allocate());

        assertThat(keys()).isNotEmpty().allSatisfy(k -> assertThat(k).startsWith("idalloc:{" + name + "}:"));
    }

    @Test
    void aRangeOfTwoToTheThirtyTwoIdsOnlyCostsMemoryForTheIdsUsed() {
        RedisIdAllocator ids = allocator(0, IdAllocatorConfig.MAX_SIZE - 1);

        Lease low = ids.allocate();
        Lease run = ids.allocateRange(100_000);

        assertThat(low.id()).isZero();
        assertThat(run.firstId()).isEqualTo(1);
        assertThat(ids.stats().available()).isEqualTo(IdAllocatorConfig.MAX_SIZE - 100_001);
        assertThat((Long) server.command("STRLEN", "idalloc:{" + name + "}:bitmap"))
                .isLessThanOrEqualTo(100_001 / 8 + 1);
        assertThat(ids.freeRange(1, 100_000)).isTrue();
        assertThat(ids.allocateRange(100_000).firstId()).isEqualTo(1);
    }
}
