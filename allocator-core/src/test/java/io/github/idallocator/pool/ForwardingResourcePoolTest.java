package io.github.idallocator.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.test.WithRedisClients;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * A decorator built on {@link ForwardingResourcePool} sees the renewals and releases made on the leases acquired
 * through it, not only those made on the pool.
 */
@WithRedisClients
class ForwardingResourcePoolTest {

    private RedisResourcePool pool;

    @BeforeEach
    void createPool(RedisConnectionFactory factory) {
        pool = RedisResourcePool.createOrAttach(
                factory, PoolConfig.builder("forwarding-" + UUID.randomUUID()).build(), "instance-a");
        pool.add("proxy-1");
        pool.add("proxy-2");
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void aLeaseReleasedOnItselfIsReleasedThroughTheDecorator() {
        Recording recording = new Recording(pool);

        ResourceLease lease = recording.tryAcquire().orElseThrow();

        assertThat(lease.release()).isEqualTo(ReleaseOutcome.RELEASED);
        assertThat(recording.calls).containsExactly("release " + lease.resource() + " healthy");
        assertThat(pool.heldLeases()).isEmpty();
    }

    @Test
    void aLeaseClosedOrReleasedUnhealthyIsReleasedThroughTheDecorator() {
        Recording recording = new Recording(pool);
        ResourceLease first = recording.tryAcquire().orElseThrow();
        ResourceLease second = recording.tryAcquire().orElseThrow();

        first.close();
        second.release(Unhealthy.of(Duration.ofMinutes(1), "refused the connection"));

        assertThat(recording.calls)
                .containsExactly(
                        "release " + first.resource() + " healthy", "release " + second.resource() + " unhealthy");
    }

    @Test
    void aLeaseRenewedOnItselfIsRenewedThroughTheDecorator() {
        Recording recording = new Recording(pool);
        ResourceLease lease = recording.tryAcquire().orElseThrow();

        assertThat(lease.renew()).isTrue();

        assertThat(recording.calls).containsExactly("renew " + lease.resource());
    }

    @Test
    void withNestedDecoratorsALeaseGoesThroughTheOutermostAndSoThroughEveryOne() {
        Recording inner = new Recording(pool);
        Recording outer = new Recording(inner);

        ResourceLease lease = outer.tryAcquire().orElseThrow();
        lease.release();

        assertThat(outer.calls).containsExactly("release " + lease.resource() + " healthy");
        assertThat(inner.calls).containsExactly("release " + lease.resource() + " healthy");
    }

    @Test
    void aLeaseAcquiredFromThePoolItselfBypassesTheDecorators() {
        Recording recording = new Recording(pool);

        ResourceLease lease = pool.tryAcquire().orElseThrow();
        lease.release();

        assertThat(recording.calls).isEmpty();
    }

    /** Records the renewals and releases it forwards. */
    private static final class Recording extends ForwardingResourcePool {

        final List<String> calls = new CopyOnWriteArrayList<>();

        Recording(ResourcePool delegate) {
            super(delegate);
        }

        @Override
        public boolean renew(ResourceLease lease, Duration leaseTime) {
            calls.add("renew " + lease.resource());
            return super.renew(lease, leaseTime);
        }

        @Override
        public ReleaseOutcome release(ResourceLease lease, @Nullable Unhealthy unhealthy) {
            calls.add("release " + lease.resource() + (unhealthy == null ? " healthy" : " unhealthy"));
            return super.release(lease, unhealthy);
        }
    }
}
