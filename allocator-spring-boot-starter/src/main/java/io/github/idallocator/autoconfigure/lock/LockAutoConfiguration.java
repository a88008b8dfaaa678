package io.github.idallocator.autoconfigure.lock;

import io.github.idallocator.autoconfigure.CoreConfigMapping;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.lock.RedisLockService;
import io.github.idallocator.spring.IdAllocatorFactory;
import io.github.idallocator.spring.LockLosses;
import io.github.idallocator.spring.LockServiceDecorator;
import io.github.idallocator.spring.LockServiceLifecycle;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the distributed locks: a {@link LockService} bean for the namespace {@code
 * idallocator.locks.namespace}, created by the {@link IdAllocatorFactory} (so its owner ids start with the instance id
 * of the allocators) and passed through every {@link LockServiceDecorator} bean, closed on shutdown by a {@link
 * LockServiceLifecycle} (which releases the leases still held), and the {@link LockLosses} that the health indicator
 * and the endpoint read. On with idallocator, off with {@code idallocator.locks.enabled=false}. The service touches
 * Redis only when a lock is used.
 *
 * <p>An application that defines its own {@code LockService} bean gets none from here; its service still gets the
 * {@code LockLosses}, and with them the health indicator, the endpoint's section and the meters.
 */
@AutoConfiguration(after = IdAllocatorAutoConfiguration.class)
@ConditionalOnClass(RedisLockService.class)
@ConditionalOnBooleanProperty(name = "idallocator.locks.enabled", matchIfMissing = true)
@ConditionalOnBean(IdAllocatorFactory.class)
public final class LockAutoConfiguration {

    @Bean
    @ConditionalOnSingleCandidate(LockService.class)
    @ConditionalOnMissingBean
    LockLosses lockLosses(LockService locks) {
        return LockLosses.of(locks);
    }

    /** The lock service of {@code idallocator.locks}, unless the application defines a {@code LockService} bean. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(LockService.class)
    static final class RedisLockServiceConfiguration {

        @Bean
        LockServiceLifecycle lockServiceLifecycle(IdAllocatorFactory factory, IdAllocatorProperties properties) {
            return new LockServiceLifecycle(factory.createLocks(CoreConfigMapping.locks(properties)));
        }

        // closed by the lifecycle, before Redis stops; a decorator need not forward close()
        @Bean(destroyMethod = "")
        LockService lockService(LockServiceLifecycle lifecycle, ObjectProvider<LockServiceDecorator> decorators) {
            return LockServiceDecorator.decorateAll(
                    lifecycle.service(), decorators.orderedStream().toList());
        }
    }
}
