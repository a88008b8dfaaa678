package io.github.idallocator.spring;

import io.github.idallocator.pool.ResourcePool;
import java.util.Collection;

/**
 * Every {@link ResourcePool} bean of the application, by pool name: the ones configured under {@code
 * idallocator.pools} and any the application defines itself. Inject it to look pools up by a name known only at run
 * time, or to walk all of them.
 */
public final class ResourcePools extends NamedRegistry<ResourcePool> {

    /**
     * Creates the registry.
     *
     * @param pools the pools; their names must differ
     * @throws IllegalStateException if two pools have the same name
     */
    public ResourcePools(Collection<? extends ResourcePool> pools) {
        super(pools, ResourcePool::name, "pool");
    }
}
