package io.github.idallocator.autoconfigure.sequence;

import io.github.idallocator.autoconfigure.CoreConfigMapping;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.autoconfigure.snowflake.SnowflakeAutoConfiguration;
import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.spring.IdAllocatorFactory;
import io.github.idallocator.spring.IdAllocatorLifecycle;
import io.github.idallocator.spring.SequenceAllocatorFactory;
import io.github.idallocator.spring.SequenceAllocators;
import io.github.idallocator.spring.SequenceRepairEvent;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of segment sequences: one {@link SequenceAllocator} bean per entry of {@code
 * idallocator.sequences} (unless the application defines its own {@code SequenceAllocator} beans), the {@link
 * SequenceAllocators} registry and the {@link SequenceAllocatorFactory} they are created with. Segments are fetched in
 * the background on {@link IdAllocatorLifecycle}'s private pool; repairs are published as {@link SequenceRepairEvent}s.
 */
@AutoConfiguration(after = {IdAllocatorAutoConfiguration.class, SnowflakeAutoConfiguration.class})
@ConditionalOnClass(RedisSequenceAllocator.class)
@ConditionalOnBean({IdAllocatorFactory.class, IdAllocatorLifecycle.class})
public final class SequenceAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SequenceAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    SequenceAllocatorFactory sequenceAllocatorFactory(
            IdAllocatorFactory factory,
            IdAllocatorProperties properties,
            IdAllocatorLifecycle lifecycle,
            ApplicationEventPublisher publisher) {
        return new SequenceAllocatorFactory(
                factory,
                CoreConfigMapping.sequences(properties),
                lifecycle.prefetchExecutor(),
                lifecycle.heldBackUntilStarted(publisher));
    }

    @Bean
    @ConditionalOnMissingBean
    SequenceAllocators sequenceAllocators(
            ObjectProvider<SequenceAllocator> sequences, IdAllocatorProperties properties) {
        SequenceAllocators registry =
                new SequenceAllocators(sequences.orderedStream().toList());
        Set<String> ignored = new LinkedHashSet<>(properties.sequences().keySet());
        ignored.removeAll(registry.names());
        if (!ignored.isEmpty()) {
            log.warn(
                    "idallocator.sequences configures {} but the application defines its own SequenceAllocator beans "
                            + "{}; the configured sequences are not created",
                    ignored,
                    registry.names());
        }
        return registry;
    }

    /** The sequences of {@code idallocator.sequences}, unless the application defines {@code SequenceAllocator} beans. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(SequenceAllocator.class)
    @Import(ConfiguredSequencesRegistrar.class)
    static final class ConfiguredSequencesConfiguration {}
}
