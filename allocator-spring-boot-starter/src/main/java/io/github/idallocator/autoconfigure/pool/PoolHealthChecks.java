package io.github.idallocator.autoconfigure.pool;

import io.github.idallocator.pool.ResourceHealthCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;

/**
 * Which {@link ResourceHealthCheck} bean probes the quarantined resources of a pool:
 *
 * <ol>
 *   <li>the one qualified with the pool's name ({@code @Qualifier("proxies")}, or named {@code proxies});
 *   <li>else the one that is qualified with no pool's name, when there is exactly one: it serves every pool without
 *       a check of its own;
 *   <li>else none: quarantined resources come back when their quarantine ends, or by {@code restore}.
 * </ol>
 *
 * Two checks qualified with one pool's name, or several checks for no pool, are ambiguous and fail start-up.
 */
final class PoolHealthChecks {

    private PoolHealthChecks() {}

    /**
     * The health check of {@code pool}, or null.
     *
     * @param pools the names of all pools under {@code idallocator.pools}, disabled ones included
     * @throws IllegalStateException when the choice is ambiguous
     */
    static @Nullable ResourceHealthCheck forPool(BeanFactory beanFactory, String pool, Set<String> pools) {
        if (!(beanFactory instanceof ListableBeanFactory beans)) {
            return null;
        }
        List<String> own = new ArrayList<>();
        List<String> general = new ArrayList<>();
        for (String candidate : beans.getBeanNamesForType(ResourceHealthCheck.class)) {
            if (BeanFactoryAnnotationUtils.isQualifierMatch(pool::equals, candidate, beanFactory)) {
                own.add(candidate);
            } else if (!BeanFactoryAnnotationUtils.isQualifierMatch(pools::contains, candidate, beanFactory)) {
                general.add(candidate);
            }
        }
        List<String> chosen = !own.isEmpty() ? own : general;
        if (chosen.size() > 1) {
            throw new IllegalStateException("Pool '" + pool + "' has " + chosen.size() + " ResourceHealthCheck beans "
                    + (own.isEmpty() ? "qualified with no pool's name" : "qualified with its name") + " " + chosen
                    + ": qualify each with the name of the pool it checks, @Qualifier(\"<pool name>\"), and leave at "
                    + "most one unqualified for the other pools");
        }
        return chosen.isEmpty() ? null : beans.getBean(chosen.get(0), ResourceHealthCheck.class);
    }
}
