package io.github.idallocator.spring.actuate.health;

import io.github.idallocator.lock.LockEvent;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.spring.LockLosses;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the lock service, from this instance's own state (no Redis call): {@code DOWN} for {@code lostWindow}
 * after a lease of this instance was lost, {@code UP} otherwise. A lost lease (a renewal refused or not confirmed
 * before the local deadline, or a release that found the lease expired or taken) means this instance held a lock it
 * could no longer prove it held: the work done under it may have overlapped another holder's, and whatever made it lose
 * the lease (a long pause, Redis unreachable, Redis restarted without its data) may still be going on. The status
 * recovers by itself once the window has passed without another loss. Details: the namespace, the leases held now, the
 * leases lost since start-up and the last loss (lock, fencing token, when and why).
 */
public class LockHealthIndicator extends AbstractHealthIndicator {

    private final LockService locks;
    private final LockLosses losses;
    private final Duration lostWindow;

    /**
     * Creates the indicator.
     *
     * @param locks the lock service
     * @param losses the leases it lost
     * @param lostWindow how long after a loss the status is {@code DOWN}; zero never reports {@code DOWN}
     */
    public LockHealthIndicator(LockService locks, LockLosses losses, Duration lostWindow) {
        super("Lock health check failed");
        this.locks = locks;
        this.losses = losses;
        this.lostWindow = lostWindow;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("namespace", locks.config().namespace())
                .withDetail("held", locks.heldLocks().size())
                .withDetail("lost", losses.count());
        losses.last().ifPresent(loss -> {
            LockEvent event = loss.event();
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("lock", event.name());
            last.put("fencingToken", event.fencingToken());
            last.put("at", loss.at().toString());
            last.put("message", event.message());
            builder.withDetail("lastLost", last);
        });
        if (losses.lostWithin(lostWindow)) {
            builder.down()
                    .withDetail(
                            "error",
                            "a lock lease of this instance was lost within the last " + lostWindow
                                    + ": work done under it may have overlapped another holder's");
        } else {
            builder.up();
        }
    }
}
