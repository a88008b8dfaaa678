package io.github.idallocator.spring;

import io.github.idallocator.pool.RedisResourcePool;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the pools it manages when the application stops: each releases the leases this instance still holds (so
 * waiters elsewhere get the resources at once rather than a lease time later), gives up the creator role and stops its
 * renewal, maintenance and wake-up threads. It stops in phase {@link IdAllocatorLifecycle#PHASE}, after the web server
 * has stopped taking requests and before the Redis connection factory stops, so the releases still reach Redis; a
 * context that never started closes the pools when its beans are destroyed. A closed pool refuses new acquisitions; it
 * is not reopened when the context starts again.
 *
 * <p>The starter's {@link ResourcePoolFactory} hands it every pool it creates; hand it pools you create yourself with
 * {@link #manage(RedisResourcePool)}.
 */
public final class ResourcePoolLifecycle implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ResourcePoolLifecycle.class);

    private final List<RedisResourcePool> pools = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    /**
     * Closes {@code pool} when the application stops.
     *
     * @param pool the pool to close
     * @return {@code pool}
     */
    public RedisResourcePool manage(RedisResourcePool pool) {
        pools.add(pool);
        return pool;
    }

    /** The pools it closes, undecorated, in the order they were handed to it. */
    public List<RedisResourcePool> pools() {
        return List.copyOf(pools);
    }

    @Override
    public void start() {
        running = true;
    }

    /** Releases the held leases and closes every pool. */
    @Override
    public void stop() {
        running = false;
        closeAll();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return IdAllocatorLifecycle.PHASE;
    }

    /** Closes the pools if {@link #stop()} did not (closing twice does nothing). */
    @Override
    public void destroy() {
        closeAll();
    }

    private void closeAll() {
        for (RedisResourcePool pool : pools) {
            try {
                pool.close();
            } catch (RuntimeException e) {
                log.warn("Could not close pool '{}'; its leases expire after their lease time", pool.name(), e);
            }
        }
    }
}
