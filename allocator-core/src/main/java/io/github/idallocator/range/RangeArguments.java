package io.github.idallocator.range;

import static io.github.idallocator.range.IdAllocator.NO_EXPIRY;

import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The checks of one allocator's call arguments against its configuration, run before Redis is touched: each failure is
 * an {@link InvalidArgumentException} that names the value and what would be accepted.
 */
final class RangeArguments {

    private final IdAllocatorConfig config;

    RangeArguments(IdAllocatorConfig config) {
        this.config = config;
    }

    void requireOwnLease(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        if (!lease.allocator().equals(name()) || !lease.keyPrefix().equals(config.keyPrefix())) {
            throw new InvalidArgumentException(
                    "lease",
                    lease,
                    "Lease of id " + lease.firstId() + " belongs to allocator '" + lease.allocator()
                            + "' under key prefix '" + lease.keyPrefix() + "', not to '" + name() + "' under '"
                            + config.keyPrefix() + "'",
                    "pass it to the allocator that handed it out");
        }
        requireRange(lease.firstId(), lease.lastId());
    }

    void requireId(long id) {
        if (id < config.minId() || id > config.maxId()) {
            throw new InvalidArgumentException(
                    "id",
                    id,
                    "id " + id + " is outside allocator '" + name() + "' range [" + config.minId() + ", "
                            + config.maxId() + "]",
                    "use an id in that range");
        }
    }

    void requireRange(long first, long last) {
        requireId(first);
        requireId(last);
        if (last < first) {
            throw new InvalidArgumentException(
                    "last",
                    last,
                    "range [" + first + ", " + last + "] of allocator '" + name() + "' is empty",
                    "last must be >= first");
        }
    }

    /**
     * @param setting the argument's name, such as {@code count} or {@code pageSize}
     * @param what how the message names it, such as {@code allocate(count)}
     */
    void requireCount(int count, long max, String setting, String what) {
        requireCount(count, max, setting, what, false);
    }

    void requireCount(int count, long max, String setting, String what, boolean zeroAllowed) {
        if (count < (zeroAllowed ? 0 : 1) || count > max) {
            throw new InvalidArgumentException(
                    setting,
                    count,
                    what + " " + count + " of allocator '" + name() + "' is out of range",
                    "use " + (zeroAllowed ? 0 : 1) + " to " + max);
        }
    }

    /** The lease time in milliseconds, -1 for {@link IdAllocator#NO_EXPIRY}. */
    long ttlMillis(@Nullable Duration ttl) {
        if (ttl == null) {
            throw new InvalidArgumentException(
                    "ttl",
                    null,
                    "ttl of allocator '" + name() + "' is null",
                    "pass a positive Duration or IdAllocator.NO_EXPIRY");
        }
        IdAllocatorConfig.requireTtl("ttl", ttl, name());
        Duration recovery = config.recoveryPeriod();
        if (!recovery.isZero() && (NO_EXPIRY.equals(ttl) || ttl.compareTo(recovery) > 0)) {
            throw new InvalidArgumentException(
                    "ttl",
                    ttl,
                    "ttl " + ttl + " of allocator '" + name() + "' is longer than its recoveryPeriod " + recovery
                            + ": after Redis lost data its holder could outlive the wait and share its ids",
                    "use at most " + recovery + " or raise recoveryPeriod");
        }
        return NO_EXPIRY.equals(ttl) ? -1 : ttl.toMillis();
    }

    /** The cells of {@link IdAllocator#occupancy(int)}: 1 to {@link IdAllocator#MAX_OCCUPANCY_CELLS}. */
    void requireCells(int maxCells) {
        if (maxCells < 1 || maxCells > IdAllocator.MAX_OCCUPANCY_CELLS) {
            throw new InvalidArgumentException(
                    "maxCells",
                    maxCells,
                    "occupancy(maxCells) " + maxCells + " of allocator '" + name() + "' is out of range",
                    "use 1 to " + IdAllocator.MAX_OCCUPANCY_CELLS);
        }
    }

    /** A cursor of {@link IdAllocator#allocatedIds}: an unsigned 64-bit decimal, as HSCAN hands them out. */
    void requireCursor(@Nullable String cursor) {
        if (!isUnsigned64(cursor)) {
            throw new InvalidArgumentException(
                    "cursor",
                    cursor,
                    "cursor '" + cursor + "' is invalid",
                    "start with LeasePage.START (\"0\") and pass on the nextCursor of each page");
        }
    }

    private static boolean isUnsigned64(@Nullable String cursor) {
        if (cursor == null || !cursor.matches("[0-9]{1,20}")) {
            return false;
        }
        try {
            Long.parseUnsignedLong(cursor);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private String name() {
        return config.name();
    }
}
