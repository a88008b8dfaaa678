package io.github.idallocator.spring;

import io.github.idallocator.lock.RedisLockService;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the starter's {@link RedisLockService} when the application stops: its held leases are released (so waiters
 * elsewhere get the locks at once rather than a lease time later), renewal stops and the wake-up subscription ends. It
 * stops in phase {@link IdAllocatorLifecycle#PHASE}, after the web server has stopped taking requests and before the
 * Redis connection factory stops, so the releases still reach Redis; a context that never started closes the service
 * when its beans are destroyed. A closed service refuses new acquisitions; it is not reopened when the context starts
 * again.
 */
public final class LockServiceLifecycle implements SmartLifecycle, DisposableBean {

    private final RedisLockService service;
    private volatile boolean running;

    /**
     * Creates the lifecycle; nothing happens before {@link #stop()}.
     *
     * @param service the lock service to close
     */
    public LockServiceLifecycle(RedisLockService service) {
        this.service = service;
    }

    /** The lock service, undecorated. */
    public RedisLockService service() {
        return service;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Releases the held leases and closes the service. */
    @Override
    public void stop() {
        running = false;
        service.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return IdAllocatorLifecycle.PHASE;
    }

    /** Closes the service if {@link #stop()} did not (closing twice does nothing). */
    @Override
    public void destroy() {
        service.close();
    }
}
