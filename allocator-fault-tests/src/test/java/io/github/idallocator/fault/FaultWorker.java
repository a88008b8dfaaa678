package io.github.idallocator.fault;

import io.github.idallocator.test.EventLog;
import io.github.idallocator.test.WorkerControl;
import io.github.idallocator.test.WorkerGroup;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * What every worker main of the fault tests shares: {@code key=value} arguments, the event log in the worker's
 * directory, the control channel, and a Lettuce connection (to one server, or through a Sentinel) with a short command
 * timeout so faults surface fast. Workers use only the public API of allocator-core.
 *
 * <p>Arguments: {@code name=} (the process name in the logs), {@code redis=host:port} or {@code
 * sentinel=host:port/master}, {@code timeout-ms=} (command timeout, default 1000), {@code reconnect-ms=} (Lettuce's
 * delay before it reconnects a lost connection, default 50), {@code join-on-go=true} (connect and
 * attach, then start taking ids or leases only on the command {@code go}, so a process can join right after a fault,
 * without a JVM start and a first connection in between).
 */
final class FaultWorker implements AutoCloseable {

    /** After a failed call a worker pauses this long before the next, so the logs stay small. */
    static final Duration ERROR_BACKOFF = Duration.ofMillis(20);

    final String name;
    final EventLog log;
    final WorkerControl control;
    private final Map<String, String> arguments;
    private final CountDownLatch go = new CountDownLatch(1);
    private volatile LettuceConnectionFactory factory;
    private ClientResources resources;

    private FaultWorker(Map<String, String> arguments) {
        this.arguments = arguments;
        this.name = required("name");
        this.log = EventLog.open(name, Path.of("."));
        this.control = new WorkerControl();
        control.on("go", words -> go.countDown());
    }

    static FaultWorker of(String[] args) {
        return new FaultWorker(WorkerGroup.arguments(args));
    }

    /** Builds the arguments of a worker: {@code key=value} from alternating keys and values. */
    static List<String> arguments(Object... keysAndValues) {
        List<String> list = new java.util.ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            list.add(keysAndValues[i] + "=" + keysAndValues[i + 1]);
        }
        return list;
    }

    String required(String key) {
        String value = arguments.get(key);
        if (value == null) {
            throw new IllegalArgumentException("Missing argument " + key + "=...");
        }
        return value;
    }

    long number(String key) {
        return Long.parseLong(required(key));
    }

    long number(String key, long otherwise) {
        String value = arguments.get(key);
        return value == null ? otherwise : Long.parseLong(value);
    }

    Duration millis(String key) {
        return Duration.ofMillis(number(key));
    }

    /** Starts reading commands and, with {@code join-on-go=true}, blocks until {@code go}. Prints READY first. */
    void readyAndAwaitGo() {
        control.listen();
        control.ready("name=" + name);
        if (Boolean.parseBoolean(arguments.getOrDefault("join-on-go", "false"))) {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.mark("GO", "");
        }
    }

    /** The connection factory, created on first use. */
    synchronized RedisConnectionFactory connect() {
        if (factory != null) {
            return factory;
        }
        Duration timeout = Duration.ofMillis(number("timeout-ms", 1000));
        resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.constant(Duration.ofMillis(number("reconnect-ms", 50))))
                .build();
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(timeout)
                .clientResources(resources)
                .clientOptions(ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .build())
                .build();
        String sentinel = arguments.get("sentinel");
        if (sentinel != null) {
            String[] parts = sentinel.split("[:/]");
            RedisSentinelConfiguration config =
                    new RedisSentinelConfiguration().master(parts[2]).sentinel(parts[0], Integer.parseInt(parts[1]));
            factory = new LettuceConnectionFactory(config, client);
        } else {
            String[] parts = required("redis").split(":");
            factory = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration(parts[0], Integer.parseInt(parts[1])), client);
        }
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** Logs {@code error} and pauses {@link #ERROR_BACKOFF}. */
    void failed(Throwable error) {
        log.error(error);
        pause(ERROR_BACKOFF);
    }

    static void pause(Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
    }

    /** Flushes the logs, closes the connection and ends the JVM. */
    @Override
    public void close() {
        log.close();
        if (factory != null) {
            factory.destroy();
        }
        if (resources != null) {
            resources.shutdown(0, 1, TimeUnit.SECONDS);
        }
        System.exit(0);
    }
}
