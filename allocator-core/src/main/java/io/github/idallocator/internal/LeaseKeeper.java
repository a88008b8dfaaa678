package io.github.idallocator.internal;

import io.github.idallocator.IdAllocatorException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the held leases of one service (a lock service, a pool) alive, by one rule for every leased primitive: a lease
 * is renewed a third of its lease time (0 to 10 % less, so that renewals of many leases spread) after the last
 * confirmed call was sent; a renewal that fails (Redis unavailable) is tried again every sixth of the lease time; a
 * renewal refused by Redis, or none confirmed by the local deadline, loses the lease. A lease that is not renewed (its
 * renewal stopped, or it never had one) is only checked at its deadline, to report its loss. Runs on a scheduler of its
 * own (two daemon threads), from one sweep over the leases at the earliest due time ({@link RenewalSweeper}).
 *
 * @param <L> the lease type
 */
public final class LeaseKeeper<L> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    /** What the keeper needs from the service whose leases it keeps. */
    public interface Renewer<L> {

        /** The lease's clock. */
        LeaseClock clock(L lease);

        /**
         * Renews {@code lease} once in Redis.
         *
         * @return null when Redis confirmed it, else why Redis refused it (the lease is then lost)
         * @throws IdAllocatorException when Redis could not answer (the renewal is tried again)
         */
        @Nullable
        String renew(L lease);

        /** Why {@code lease} is no longer renewed (its holder thread ended, it is too old), or null while it is. */
        @Nullable
        String stopped(L lease, long nowNanos);

        /** Reports the loss of {@code lease}, with why. */
        void lost(L lease, String why);

        /** The lease for log lines, such as {@code lock 'a' of namespace 'b'}. */
        String describe(L lease);
    }

    private final Renewer<L> renewer;
    private final ScheduledThreadPoolExecutor scheduler;
    private final RenewalSweeper<L> sweeper;

    /**
     * @param threadName the name of the scheduler's threads
     */
    public LeaseKeeper(String threadName, Renewer<L> renewer) {
        this.renewer = renewer;
        this.scheduler = new ScheduledThreadPoolExecutor(2, task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        this.sweeper = new RenewalSweeper<>(scheduler, renewer::clock, this::check);
    }

    /** The keeper's scheduler, for other periodic work of the same service. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Keeps a lease granted by a call sent at {@code sentNanos}: renews it while held. */
    public void renewFrom(L lease, long sentNanos) {
        sweeper.checkAt(lease, nextRenewalAt(renewer.clock(lease), sentNanos));
    }

    /** Watches a lease that is not renewed: reports its loss at its local deadline. */
    public void expireAtDeadline(L lease) {
        sweeper.checkAt(lease, renewer.clock(lease).deadlineNanos());
    }

    /** Stops keeping {@code lease} (released, lost); a check already running finishes. */
    public void forget(L lease) {
        sweeper.forget(lease);
    }

    private static long nextRenewalAt(LeaseClock clock, long confirmedSentNanos) {
        long interval = clock.leaseTime().toNanos() / 3;
        return confirmedSentNanos + interval - ThreadLocalRandom.current().nextLong(interval / 10 + 1);
    }

    private void check(L lease) {
        LeaseClock clock = renewer.clock(lease);
        if (clock.state() != LeaseClock.State.HELD) {
            return;
        }
        long now = System.nanoTime();
        String stopped = renewer.stopped(lease, now);
        if (now - clock.deadlineNanos() >= 0) {
            renewer.lost(
                    lease,
                    stopped != null
                            ? stopped
                            : "no renewal was confirmed by Redis within its lease time " + clock.leaseTime());
            return;
        }
        if (stopped == null) {
            long sent = System.nanoTime();
            try {
                String refused = renewer.renew(lease);
                if (refused != null) {
                    renewer.lost(lease, refused);
                    return;
                }
                clock.renewed(sent);
                sweeper.checkAt(lease, nextRenewalAt(clock, sent));
                return;
            } catch (IdAllocatorException e) {
                log.debug("Renewal of {} failed; trying again: {}", renewer.describe(lease), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("Renewal of {} failed unexpectedly; trying again", renewer.describe(lease), e);
            }
        }
        long deadline = clock.deadlineNanos();
        long retry = System.nanoTime() + clock.leaseTime().toNanos() / 6;
        sweeper.checkAt(lease, stopped == null && retry - deadline < 0 ? retry : deadline);
    }

    /** Stops the scheduler; held leases are no longer renewed. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
