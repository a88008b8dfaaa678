package io.github.idallocator.autoconfigure;

import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import java.util.concurrent.Executor;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Creates sequences against the application's Redis that fetch their segments in the background on the starter's
 * private pool and publish every repair as a {@link SequenceRepairEvent}. The sequences under {@code
 * idallocator.sequences} are created through it; call {@link #create(SequenceConfig)} for more sequences known only at
 * run time.
 */
public final class SequenceAllocatorFactory {

    private final IdAllocatorFactory redis;
    private final IdAllocatorProperties properties;
    private final Executor prefetchExecutor;
    private final ApplicationEventPublisher publisher;

    /**
     * Creates the factory.
     *
     * @param redis the factory whose Redis template the sequences share
     * @param properties the bound {@code idallocator.*} properties
     * @param prefetchExecutor where segments are fetched in the background
     * @param publisher where repairs are published
     */
    public SequenceAllocatorFactory(
            IdAllocatorFactory redis,
            IdAllocatorProperties properties,
            Executor prefetchExecutor,
            ApplicationEventPublisher publisher) {
        this.redis = redis;
        this.properties = properties;
        this.prefetchExecutor = prefetchExecutor;
        this.publisher = publisher;
    }

    /**
     * The configuration of the sequence configured as {@code idallocator.sequences.<name>}.
     *
     * @throws IllegalArgumentException if no sequence of that name is configured
     */
    public SequenceConfig configuration(String name) {
        IdAllocatorProperties.Sequence sequence = properties.sequences().get(name);
        if (sequence == null) {
            throw new IllegalArgumentException("No sequence '" + name + "' is configured under "
                    + IdAllocatorProperties.sequenceProperty("<name>", "") + "; configured: "
                    + properties.sequences().keySet());
        }
        return sequence.toConfig(name, properties.keyPrefix());
    }

    /** The sequence configured as {@code idallocator.sequences.<name>}. */
    public RedisSequenceAllocator create(String name) {
        return create(configuration(name));
    }

    /**
     * A sequence with the given configuration. It touches Redis only when it hands out its first id. Sequences created
     * here for names not under {@code idallocator.sequences} are not beans: {@link RedisSequenceAllocator#close()} them
     * when done (that ends their background re-registration and lease checks).
     */
    public RedisSequenceAllocator create(SequenceConfig config) {
        RedisSequenceAllocator sequence = redis.createSequence(config, prefetchExecutor);
        sequence.addRepairListener(repair -> publisher.publishEvent(new SequenceRepairEvent(sequence, repair)));
        return sequence;
    }
}
