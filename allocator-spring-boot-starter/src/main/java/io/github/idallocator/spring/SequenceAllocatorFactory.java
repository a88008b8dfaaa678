package io.github.idallocator.spring;

import io.github.idallocator.sequence.RedisSequenceAllocator;
import io.github.idallocator.sequence.SequenceConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Creates sequences against the application's Redis that fetch their segments in the background on the starter's
 * private pool and publish every repair as a {@link SequenceRepairEvent}. The sequences under {@code
 * idallocator.sequences} are created through it; call {@link #create(SequenceConfig)} for more sequences known only at
 * run time. Closing the factory (the context does, it is a bean) closes every sequence it created.
 */
public final class SequenceAllocatorFactory implements AutoCloseable {

    private final IdAllocatorFactory redis;
    private final Map<String, SequenceConfig> configured;
    private final Executor prefetchExecutor;
    private final ApplicationEventPublisher publisher;
    private final List<RedisSequenceAllocator> created = new CopyOnWriteArrayList<>();

    /**
     * Creates the factory.
     *
     * @param redis the factory whose Redis template the sequences share
     * @param configured the configurations of the sequences known by name (those of {@code idallocator.sequences}), in
     *     the order they are configured
     * @param prefetchExecutor where segments are fetched in the background
     * @param publisher where repairs are published
     */
    public SequenceAllocatorFactory(
            IdAllocatorFactory redis,
            Map<String, SequenceConfig> configured,
            Executor prefetchExecutor,
            ApplicationEventPublisher publisher) {
        this.redis = redis;
        this.configured = Collections.unmodifiableMap(new LinkedHashMap<>(configured));
        this.prefetchExecutor = prefetchExecutor;
        this.publisher = publisher;
    }

    /**
     * The configuration of the sequence configured as {@code idallocator.sequences.<name>}.
     *
     * @throws IllegalArgumentException if no sequence of that name is configured
     */
    public SequenceConfig configuration(String name) {
        SequenceConfig config = configured.get(name);
        if (config == null) {
            throw new IllegalArgumentException("No sequence '" + name
                    + "' is configured under idallocator.sequences.<name>; configured: " + configured.keySet());
        }
        return config;
    }

    /** The sequence configured as {@code idallocator.sequences.<name>}. */
    public RedisSequenceAllocator create(String name) {
        return create(configuration(name));
    }

    /**
     * A sequence with the given configuration. It touches Redis only when it hands out its first id. It is closed with
     * this factory (that ends its background re-registration and lease checks); {@link RedisSequenceAllocator#close()}
     * it earlier when done with it.
     */
    public RedisSequenceAllocator create(SequenceConfig config) {
        RedisSequenceAllocator sequence = redis.createSequence(config, prefetchExecutor);
        sequence.addRepairListener(repair -> publisher.publishEvent(new SequenceRepairEvent(sequence, repair)));
        created.add(sequence);
        return sequence;
    }

    /** Closes every sequence this factory created (closing one twice does nothing). */
    @Override
    public void close() {
        created.forEach(RedisSequenceAllocator::close);
        created.clear();
    }
}
