package io.github.idallocator.pool;

import java.time.Duration;

/**
 * A holder's report that the resource it releases misbehaved. Reports count per resource: {@link
 * PoolConfig#unhealthyThreshold()} of them within {@link PoolConfig#unhealthyWindow()} quarantine the resource for
 * {@code quarantine}, with {@code reason}.
 *
 * @param quarantine how long the resource is quarantined when this report reaches the threshold (1 ms to 365 days)
 * @param reason why, for operators (at most {@value PoolConfig#MAX_TEXT_LENGTH} characters)
 */
public record Unhealthy(Duration quarantine, String reason) {

    /** The report {@code (quarantine, reason)}. */
    public static Unhealthy of(Duration quarantine, String reason) {
        return new Unhealthy(quarantine, reason);
    }
}
