package io.github.idallocator.sample;

import io.github.idallocator.range.Lease;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A lease as the API shows it.
 *
 * @param allocator the allocator's name
 * @param firstId the first id
 * @param lastId the last id (the same as firstId for one id)
 * @param owner the instance that holds it
 * @param fencingToken increases with every lease handed out
 * @param expiresAt when Redis reclaims it; {@code null}: never
 */
public record LeaseView(
        String allocator, long firstId, long lastId, String owner, long fencingToken, @Nullable Instant expiresAt) {

    static LeaseView of(Lease lease) {
        return new LeaseView(
                lease.allocator(),
                lease.firstId(),
                lease.lastId(),
                lease.owner(),
                lease.fencingToken(),
                lease.expiresAt());
    }
}
