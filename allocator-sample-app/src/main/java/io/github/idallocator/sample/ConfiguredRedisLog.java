package io.github.idallocator.sample;

import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Node;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The counterpart of {@link EmbeddedRedisFallback}'s log line: when a Redis is configured under {@code
 * spring.data.redis.*}, logs once at start-up, as the connection to it is being set up, which Redis the sample uses
 * ({@code host:port}, the Sentinels of a primary, the nodes of a Cluster), never the credentials a URL may carry.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ConfiguredRedisLog.RedisConfigured.class)
class ConfiguredRedisLog {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredRedisLog.class);

    @Bean
    static BeanPostProcessor configuredRedisLogger() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DataRedisConnectionDetails details) {
                    log.info("Using the Redis configured by spring.data.redis.*: {}", describe(details));
                }
                return bean;
            }
        };
    }

    /** Where {@code details} point, in the order Spring Boot picks them: Sentinel, Cluster, primary and replicas, else one server. */
    static String describe(DataRedisConnectionDetails details) {
        DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
        if (sentinel != null) {
            return "the primary '" + sentinel.getMaster() + "' of the Sentinels " + nodes(sentinel.getNodes())
                    + database(sentinel.getDatabase());
        }
        DataRedisConnectionDetails.Cluster cluster = details.getCluster();
        if (cluster != null) {
            return "the Redis Cluster of " + nodes(cluster.getNodes());
        }
        DataRedisConnectionDetails.MasterReplica replicas = details.getMasterReplica();
        if (replicas != null) {
            return "the primary and replicas " + nodes(replicas.getNodes());
        }
        DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
        if (standalone == null) {
            return "(no address)";
        }
        return standalone.getHost() + ":" + standalone.getPort() + database(standalone.getDatabase());
    }

    private static String database(int database) {
        return database == 0 ? "" : ", database " + database;
    }

    private static String nodes(List<Node> nodes) {
        return nodes.stream().map(node -> node.host() + ":" + node.port()).collect(Collectors.joining(", "));
    }

    /** Matches when one of {@link EmbeddedRedisFallback#ADDRESS_PROPERTIES} is set: the fallback stays off. */
    static final class RedisConfigured extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            for (String property : EmbeddedRedisFallback.ADDRESS_PROPERTIES) {
                if (context.getEnvironment().containsProperty(property)) {
                    return ConditionOutcome.match(property + " is set");
                }
            }
            return ConditionOutcome.noMatch("no spring.data.redis address is set: EmbeddedRedisFallback logs its own");
        }
    }
}
