package io.github.idallocator.spring.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.endpoint.IdAllocatorEndpointAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Lease;
import io.github.idallocator.test.WithRedisServer;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The reads the dashboard makes: one thing by kind and name, an allocator's occupancy picture and its leases. */
@WithRedisServer
class IdAllocatorEndpointReadsTests {

    private final ApplicationContextRunner runner;

    IdAllocatorEndpointReadsTests(RedisServerProcess redis) {
        this.runner = TestContexts.withRedis(redis, IdAllocatorEndpointAutoConfiguration.class)
                .withPropertyValues(
                        "management.endpoints.web.exposure.include=idallocator",
                        "idallocator.allocators.orders.min-id=100",
                        "idallocator.allocators.orders.max-id=199",
                        "idallocator.allocators.orders.reuse-delay=1m",
                        "idallocator.allocators.large.max-id=999999",
                        "idallocator.allocators.notes.max-id=9",
                        "idallocator.allocators.notes.reuse-delay=0",
                        "idallocator.sequences.orders.recovery-period=0",
                        "idallocator.primary=orders");
    }

    @Test
    void anExactPictureMarksTheTakenIdsAtTheirOffsetAndListsTheRestingOnes() {
        runner.run(context -> {
            IdAllocator orders = context.getBean("ordersIdAllocator", IdAllocator.class);
            orders.allocate(3);
            orders.free(orders.allocate());

            OccupancyDescriptor picture = endpoint(context).occupancy("orders");

            assertThat(picture.precision()).isEqualTo("EXACT_IDS");
            assertThat(picture.cells()).isEqualTo(100);
            assertThat(picture.taken()).isNull();
            assertThat(setBits(picture.bits())).containsExactly(0, 1, 2, 3);
            assertThat(picture.resting()).containsExactly(new OccupancyDescriptor.RestingRange(103, 103));
        });
    }

    @Test
    void aLargeRangeGetsASampledPictureOfAtMostAThousandAndTwentyFourCells() {
        runner.run(context -> {
            OccupancyDescriptor picture = endpoint(context).occupancy("large");

            assertThat(picture.precision()).isEqualTo("FULL_BLOCKS");
            assertThat(picture.bits()).isNull();
            assertThat(picture.cells()).isLessThanOrEqualTo(IdAllocatorEndpoint.SAMPLED_CELLS);
            assertThat(picture.taken()).hasSize(picture.cells());
        });
    }

    @Test
    void leasesArePagedWithACursorAndCarryTheirExpiry() {
        runner.run(context -> {
            IdAllocator orders = context.getBean("ordersIdAllocator", IdAllocator.class);
            orders.allocate(30);
            IdAllocatorEndpoint endpoint = endpoint(context);

            Set<Long> seen = new HashSet<>();
            String cursor = "0";
            int pages = 0;
            do {
                LeasePageDescriptor page = endpoint.leases("orders", cursor, 10);
                page.leases().forEach(lease -> seen.add(lease.firstId()));
                assertThat(page.leases())
                        .allSatisfy(lease ->
                                assertThat(lease.expiresInMillis()).isPositive().isLessThanOrEqualTo(300_000));
                cursor = page.nextCursor();
                pages++;
            } while (!"0".equals(cursor) && pages < 100);

            assertThat(seen).hasSize(30);
        });
    }

    @Test
    void aLeaseCarriesTheNoteItsPreviousHolderLeft() {
        runner.run(context -> {
            IdAllocator notes = context.getBean("notesIdAllocator", IdAllocator.class);
            Lease first = notes.allocate();
            notes.free(first, "last used at 12:00");
            assertThat(notes.reserve(first.firstId())).isPresent();

            LeasePageDescriptor page = endpoint(context).leases("notes", "0", 50);

            assertThat(page.leases()).singleElement().satisfies(lease -> assertThat(lease.note())
                    .isEqualTo("last used at 12:00"));
        });
    }

    @Test
    void aPageSizeOutsideOneToFiveHundredIsABadRequest() {
        runner.run(context -> assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint(context).leases("orders", "0", 501))
                .withMessageContaining("count 501 must be 1 to 500"));
    }

    @Test
    void kindAndNameReachEachThingAndNothingElse() {
        runner.run(context -> {
            IdAllocatorEndpoint endpoint = endpoint(context);

            assertThat(endpoint.named("allocators", "orders", null, null))
                    .isInstanceOf(IdAllocatorEndpoint.AllocatorDescriptor.class);
            assertThat(endpoint.named("sequences", "orders", null, null))
                    .isInstanceOf(IdAllocatorEndpoint.SequenceDescriptor.class);
            assertThat(endpoint.named("occupancy", "orders", null, null)).isInstanceOf(OccupancyDescriptor.class);
            assertThat(endpoint.named("leases", "orders", null, null)).isInstanceOf(LeasePageDescriptor.class);
            assertThat(endpoint.named("pools", "orders", null, null)).isNull();
            assertThat(endpoint.named("queues", "orders", null, null)).isNull();
            assertThat(endpoint.named("occupancy", "unknown", null, null)).isNull();
            assertThat(endpoint.named("orders")).isInstanceOf(IdAllocatorEndpoint.AllocatorDescriptor.class);
        });
    }

    private static IdAllocatorEndpoint endpoint(org.springframework.context.ApplicationContext context) {
        return context.getBean(IdAllocatorEndpoint.class);
    }

    private static Set<Integer> setBits(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        Set<Integer> set = new java.util.TreeSet<>();
        for (int i = 0; i < bytes.length * 8; i++) {
            if ((bytes[i >> 3] & (0x80 >>> (i & 7))) != 0) {
                set.add(i);
            }
        }
        return set;
    }
}
