package io.github.idallocator.pool;

/**
 * Probes a quarantined resource. The pool's creator instance runs it on quarantined resources only, every {@link
 * PoolConfig#maintenanceInterval()}, the probes of one run at once, together bounded by {@link
 * PoolConfig#healthCheckTimeout()}; a resource that passes is restored at once, one that fails (false, an exception,
 * a timeout) stays quarantined until its quarantine ends.
 */
@FunctionalInterface
public interface ResourceHealthCheck {

    /**
     * Whether {@code resource} works again.
     *
     * @param resource the resource's name
     * @param metadata the metadata it was added with ({@code ""} when none)
     */
    boolean isHealthy(String resource, String metadata) throws Exception;
}
