package io.github.idallocator.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Wakes the threads of this JVM that wait for something a release frees (a lock, a pool's resources): one subscription
 * per service to its release channel (started with the first wait), whose messages name what was released, plus a
 * direct signal when a lease of this JVM is released. A wake-up only shortens a waiter's sleep, which the poll bound
 * limits anyway, so a lost message costs at most that bound.
 */
public final class ReleaseWakeups implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReleaseWakeups.class);

    /** How long {@link #close()} waits for the subscription to stop. */
    static final long STOP_WAIT_MILLIS = 2_000;

    private final RedisConnectionFactory connectionFactory;
    private final String channel;
    private final long recoveryMillis;
    private final String threadName;
    private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();
    private @Nullable RedisMessageListenerContainer container;
    private boolean closed;

    /**
     * @param channel the release channel
     * @param recoveryMillis how often a lost subscription is tried again
     * @param threadName start of the names of the subscription's threads, such as {@code idallocator-lock}
     */
    public ReleaseWakeups(
            RedisConnectionFactory connectionFactory, String channel, long recoveryMillis, String threadName) {
        this.connectionFactory = connectionFactory;
        this.channel = channel;
        this.recoveryMillis = recoveryMillis;
        this.threadName = threadName;
    }

    /** The waiters of one name: a counter of wake-ups that waiters compare against what they saw. */
    public static final class Signal {
        private long wakeups;
        private int waiters;

        /** The wake-ups so far; a waiter reads it before its attempt and passes it to {@link #await}. */
        public synchronized long seen() {
            return wakeups;
        }

        /** Sleeps until a wake-up after {@code seen}, at most {@code nanos}. */
        public synchronized void await(long seen, long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            long left = nanos;
            while (wakeups == seen && left > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
                left = deadline - System.nanoTime();
            }
        }

        synchronized void wake() {
            wakeups++;
            notifyAll();
        }
    }

    /** Registers a waiter of {@code name}; starts the subscription on first use. */
    public Signal register(String name) {
        subscribe();
        return signals.compute(name, (key, signal) -> {
            Signal registered = signal == null ? new Signal() : signal;
            registered.waiters++;
            return registered;
        });
    }

    /** Ends a registration made with {@link #register}. */
    public void unregister(String name) {
        signals.computeIfPresent(name, (key, signal) -> --signal.waiters == 0 ? null : signal);
    }

    /** Wakes the waiters of {@code name} in this JVM. */
    public void wake(String name) {
        Signal signal = signals.get(name);
        if (signal != null) {
            signal.wake();
        }
    }

    /**
     * Starts the subscription once, on a thread of its own, so that no waiter waits for it: until it is confirmed
     * (or when it cannot be made), waiters poll.
     */
    private void subscribe() {
        RedisMessageListenerContainer created;
        synchronized (this) {
            if (container != null || closed) {
                return;
            }
            created = new RedisMessageListenerContainer();
            container = created;
        }
        created.setConnectionFactory(connectionFactory);
        // messages are handled on the subscription's thread (a handler only signals); a blocking client (Jedis) holds
        // a thread of its own for the subscription
        created.setTaskExecutor(new SyncTaskExecutor());
        SimpleAsyncTaskExecutor subscriptionThreads = new SimpleAsyncTaskExecutor(threadName + "-wakeups-");
        subscriptionThreads.setDaemon(true);
        created.setSubscriptionExecutor(subscriptionThreads);
        created.setRecoveryBackoff(new FixedBackOff(recoveryMillis, FixedBackOff.UNLIMITED_ATTEMPTS));
        created.addMessageListener(
                (message, pattern) -> wake(new String(message.getBody(), StandardCharsets.UTF_8)),
                new ChannelTopic(channel));
        created.setErrorHandler(
                e -> log.debug("Wake-up subscription to {} failed; waiters poll meanwhile", channel, e));
        Thread starter = new Thread(() -> start(created), threadName + "-subscribe");
        starter.setDaemon(true);
        starter.start();
    }

    private void start(RedisMessageListenerContainer created) {
        try {
            created.afterPropertiesSet();
            created.start();
            log.debug("Subscribed to release channel {}", channel);
            synchronized (this) {
                if (container == created) {
                    return;
                }
            }
            stop(created);
        } catch (RuntimeException e) {
            log.warn(
                    "Could not subscribe to release channel {}; waiters poll instead until Redis answers: {}",
                    channel,
                    e.toString());
            synchronized (this) {
                if (container == created) {
                    container = null;
                }
            }
            stop(created);
        }
    }

    private void stop(RedisMessageListenerContainer started) {
        try {
            started.destroy();
        } catch (Exception e) {
            log.debug("Stopping the wake-up subscription to {} failed", channel, e);
        }
    }

    /**
     * Stops the subscription, waiting for it at most {@link #STOP_WAIT_MILLIS}: Spring Data Redis's container can block
     * its stop for good when Redis died while the subscription was being made (its recovery waits, holding the lock the
     * stop needs), and closing must not hang the application's shutdown on it.
     */
    @Override
    public void close() {
        RedisMessageListenerContainer started;
        synchronized (this) {
            closed = true;
            started = container;
            container = null;
        }
        if (started == null) {
            return;
        }
        Thread stopper = new Thread(() -> stop(started), threadName + "-unsubscribe");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            log.warn(
                    "The wake-up subscription to {} did not stop within {} ms (Redis is unreachable); its thread is "
                            + "left to end by itself",
                    channel,
                    STOP_WAIT_MILLIS);
        }
    }
}
