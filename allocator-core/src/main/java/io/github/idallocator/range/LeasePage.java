package io.github.idallocator.range;

import java.util.List;

/**
 * One page of leases from {@link IdAllocator#allocatedIds(String, int)}. Pass {@link #nextCursor()} to get the next
 * page; the walk is over when {@link #isLast()} is true. A lease held during the whole walk is returned at least once.
 *
 * @param leases the leases of this page (live and expired-but-not-yet-reclaimed ones)
 * @param nextCursor the cursor of the next page, {@code "0"} after the last page
 */
public record LeasePage(List<Lease> leases, String nextCursor) {

    /** The cursor that starts a walk. */
    public static final String START = "0";

    /** Copies the list. */
    public LeasePage {
        leases = List.copyOf(leases);
    }

    /** Whether this is the last page. */
    public boolean isLast() {
        return START.equals(nextCursor);
    }
}
