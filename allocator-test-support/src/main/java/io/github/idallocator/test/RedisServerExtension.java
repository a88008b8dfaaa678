package io.github.idallocator.test;

import io.github.idallocator.launcher.RedisServerProcess;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides one real redis-server shared by every test class of a test run.
 *
 * <p>The server starts when the first test class using this extension starts, lives in the store of the root context
 * and is stopped when the run ends. It is injected into test, constructor and lifecycle parameters of type {@link
 * RedisServerProcess}; code without an {@link ExtensionContext}, such as a Spring {@code @DynamicPropertySource}
 * method, gets it from {@link #sharedServer()}. Nothing is flushed between tests: give each test its own keys. Tests
 * that kill, stop or restart a server should start a {@link RedisServerProcess} of their own.
 */
public final class RedisServerExtension implements BeforeAllCallback, ParameterResolver {

    private static final Logger LOGGER = LoggerFactory.getLogger(RedisServerExtension.class);
    private static final Namespace NAMESPACE = Namespace.create(RedisServerExtension.class);

    private static volatile RedisServerProcess current;

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == RedisServerProcess.class;
    }

    @Override
    public RedisServerProcess resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return server(extensionContext);
    }

    /** The shared server of the test run that {@code context} belongs to, started if it is not running yet. */
    public static RedisServerProcess server(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(SharedServer.class, key -> SharedServer.start(), SharedServer.class)
                .server();
    }

    /**
     * The shared server, for code that has no {@link ExtensionContext}.
     *
     * @throws IllegalStateException if no test class using this extension has started yet
     */
    public static RedisServerProcess sharedServer() {
        RedisServerProcess server = current;
        if (server == null) {
            throw new IllegalStateException("No shared redis-server is running: annotate the test class with @"
                    + WithRedisServer.class.getSimpleName());
        }
        return server;
    }

    /** The store entry that owns the shared server and stops it when the root context closes. */
    private record SharedServer(RedisServerProcess server) implements AutoCloseable {

        static SharedServer start() {
            RedisServerProcess server = RedisServerProcess.start();
            LOGGER.info("Shared test Redis: {} listening on {}", server.binary().describe(), server.address());
            current = server;
            return new SharedServer(server);
        }

        @Override
        public void close() {
            current = null;
            server.close();
        }
    }
}
