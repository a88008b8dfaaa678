package io.github.idallocator.test;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Runs a test class once per {@link RedisClient} and provides the clients' connection factories; use it through
 * {@link WithRedisClients}.
 *
 * <p>In each round, parameters of type {@link RedisClient} receive that round's client, and parameters of type {@link
 * RedisConnectionFactory} a started factory of it connected to the run's shared server ({@link
 * RedisServerExtension#server(ExtensionContext)}). The factory belongs to the context that asked for it and is closed
 * when that context ends: one per test for constructor, {@code @BeforeEach} and test-method parameters (with the default
 * lifecycle, the class is instantiated per test), one per round for a {@code @TestInstance(PER_CLASS)} constructor.
 */
public final class RedisClientExtension implements ClassTemplateInvocationContextProvider {

    private static final Namespace NAMESPACE = Namespace.create(RedisClientExtension.class);

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        return Stream.of(RedisClient.values()).map(Round::new);
    }

    /** One run of the test class with one client. */
    private record Round(RedisClient client) implements ClassTemplateInvocationContext {

        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + invocationIndex + "] " + client;
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new ClientParameters(client));
        }
    }

    /** Resolves the round's client and a connection factory of it. */
    private record ClientParameters(RedisClient client) implements ParameterResolver {

        @Override
        public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
            return ExtensionContextScope.TEST_METHOD;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            return type == RedisClient.class || type == RedisConnectionFactory.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            if (parameter.getParameter().getType() == RedisClient.class) {
                return client;
            }
            RedisServerProcess server = RedisServerExtension.server(context);
            return context.getStore(NAMESPACE)
                    .computeIfAbsent(client, key -> client.connect(server), RedisClient.Factory.class)
                    .connectionFactory();
        }
    }
}
