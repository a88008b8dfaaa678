package io.github.idallocator.autoconfigure;

import static io.github.idallocator.autoconfigure.IdAllocatorProperties.PREFIX;

import io.github.idallocator.spring.ResourcePoolFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.SingletonBeanRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.core.env.Environment;

/**
 * The {@code idallocator.*} properties checked as a whole: every value by the core configuration it becomes ({@link
 * CoreConfigMapping}), plus the few rules across properties that core cannot know (which allocator and which sequence
 * is primary, a Snowflake worker-id allocator named like a configured allocator, a resource listed twice in a pool, the
 * health indicators' settings). A
 * wrong value fails with an {@link InvalidIdAllocatorPropertyException}; a name idallocator does not have (a misspelled
 * key) or that binding would change fails with an {@link InvalidIdAllocatorPropertyNameException}.
 *
 * <p>The bean registrars, which run before any bean exists, share one binding per application context ({@link
 * #of(Environment, BeanDefinitionRegistry)}). Used by the auto-configurations; applications have no need for it.
 */
public final class CheckedProperties {

    /** The name under which the registrars' shared binding is kept in the bean factory. */
    static final String BEAN_NAME = CheckedProperties.class.getName();

    private final IdAllocatorProperties properties;

    private CheckedProperties(IdAllocatorProperties properties) {
        this.properties = properties;
    }

    /**
     * The properties of {@code environment}, bound and checked once per {@code registry}: the first call binds and
     * checks them and keeps them as a singleton of the registry's bean factory, later calls return them.
     *
     * @throws InvalidIdAllocatorPropertyNameException naming every property name that idallocator does not have or
     *     that binding would change (an allocator name with a '.' not in brackets)
     * @throws InvalidIdAllocatorPropertyException naming the first wrong property
     */
    public static IdAllocatorProperties of(Environment environment, BeanDefinitionRegistry registry) {
        if (!(registry instanceof SingletonBeanRegistry singletons)) {
            return check(bind(environment));
        }
        if (singletons.getSingleton(BEAN_NAME) instanceof CheckedProperties shared) {
            return shared.properties;
        }
        IdAllocatorProperties properties = check(bind(environment));
        singletons.registerSingleton(BEAN_NAME, new CheckedProperties(properties));
        return properties;
    }

    /**
     * Checks the names written under {@code idallocator.*} of {@code environment}, for applications whose own beans
     * turn the registrars off.
     *
     * @throws InvalidIdAllocatorPropertyNameException naming every property name that idallocator does not have or
     *     that binding would change
     */
    public static void checkNames(Environment environment) {
        IdAllocatorPropertyNames.bind(environment);
    }

    private static IdAllocatorProperties bind(Environment environment) {
        return IdAllocatorPropertyNames.bind(environment);
    }

    /**
     * Checks every value and the rules across properties.
     *
     * @return {@code properties}
     * @throws InvalidIdAllocatorPropertyException naming the first wrong property
     */
    public static IdAllocatorProperties check(IdAllocatorProperties properties) {
        checkHealth(properties.health());
        checkTimings(properties);
        CoreConfigMapping.keyPrefix(properties);
        CoreConfigMapping.instanceId(properties);
        properties.allocators().keySet().forEach(name -> CoreConfigMapping.allocator(properties, name));
        requireConfigured(PREFIX + ".primary", properties.primary(), "allocator", properties.allocators());
        if (properties.snowflake().enabled()) {
            requireOwnWorkerAllocator(
                    properties.snowflake().allocatorName(),
                    properties.allocators().keySet());
            CoreConfigMapping.snowflake(properties);
            checkBackend(properties);
        }
        properties.sequences().keySet().forEach(name -> CoreConfigMapping.sequence(properties, name));
        requireConfigured(
                PREFIX + ".primary-sequence", properties.primarySequence(), "sequence", properties.sequences());
        if (properties.locks().enabled()) {
            CoreConfigMapping.locks(properties);
        }
        for (String pool : properties.enabledPools()) {
            requireDistinctResources(pool, CoreConfigMapping.pool(properties, pool));
        }
        return properties;
    }

    /** The Snowflake backend is redis or etcd; etcd needs endpoints and takes no Redis-only settings. */
    private static void checkBackend(IdAllocatorProperties properties) {
        IdAllocatorProperties.Snowflake snowflake = properties.snowflake();
        String backend = snowflake.backend();
        String property = IdAllocatorProperties.snowflakeProperty("backend");
        if (IdAllocatorProperties.Snowflake.REDIS_BACKEND.equals(backend)) {
            return;
        }
        if (!IdAllocatorProperties.Snowflake.ETCD_BACKEND.equals(backend)) {
            throw new InvalidIdAllocatorPropertyException(
                    property,
                    backend,
                    "it is not a Snowflake backend (accepted: redis, etcd)",
                    "Set " + property + " to redis (the default: worker ids from Redis) or etcd (from etcd, with the"
                            + " io.github.idallocator:allocator-etcd dependency).");
        }
        if (snowflake.replicaAcks() != 0) {
            throw new InvalidIdAllocatorPropertyException(
                    IdAllocatorProperties.snowflakeProperty("replica-acks"),
                    snowflake.replicaAcks(),
                    "it applies to the Redis backend only, and " + property + " is etcd",
                    "Remove it: etcd confirms every worker-id claim through Raft before it answers.");
        }
        IdAllocatorProperties.Etcd etcd = properties.etcd();
        String endpoints = IdAllocatorProperties.etcdProperty("endpoints");
        if (etcd.endpoints().isEmpty()) {
            throw new InvalidIdAllocatorPropertyException(
                    endpoints,
                    null,
                    "the etcd backend needs the client URLs of the etcd cluster",
                    "Set " + endpoints + " to the members' client URLs, such as http://etcd-0:2379,http://etcd-1:2379,"
                            + " or set " + property + " to redis.");
        }
        String scheme = checkEndpoint(endpoints + "[0]", etcd.endpoints().get(0));
        for (int i = 1; i < etcd.endpoints().size(); i++) {
            String indexed = endpoints + "[" + i + "]";
            if (!checkEndpoint(indexed, etcd.endpoints().get(i)).equals(scheme)) {
                throw new InvalidIdAllocatorPropertyException(
                        indexed,
                        etcd.endpoints().get(i),
                        "it is not " + scheme + " like " + endpoints + "[0]: the client speaks TLS to every member or"
                                + " to none",
                        "Give every member's client URL the scheme its etcd serves: https:// for all (TLS) or"
                                + " http:// for all.");
            }
        }
        String bundle = etcd.ssl().bundle();
        String bundleProperty = IdAllocatorProperties.etcdProperty("ssl.bundle");
        if (bundle != null && bundle.isBlank()) {
            throw new InvalidIdAllocatorPropertyException(
                    bundleProperty,
                    bundle,
                    "it is blank",
                    "Set it to the name of a Spring Boot SSL bundle (spring.ssl.bundle.pem.<name>.*), or remove it to"
                            + " trust the JVM's default CA certificates.");
        }
        if (bundle != null && scheme.equals("http")) {
            throw new InvalidIdAllocatorPropertyException(
                    bundleProperty,
                    bundle,
                    "it applies to https endpoints only, and " + endpoints + " are http",
                    "Use https:// client URLs for an etcd that serves TLS (--cert-file), or remove " + bundleProperty
                            + ".");
        }
        if (etcd.namespace() != null && etcd.namespace().isBlank()) {
            throw new InvalidIdAllocatorPropertyException(
                    IdAllocatorProperties.etcdProperty("namespace"),
                    etcd.namespace(),
                    "it is blank",
                    "Remove it to use " + properties.keyPrefix() + "/" + snowflake.allocatorName()
                            + "/ (key-prefix/allocator-name/), or set a key prefix such as idalloc/orders-workers/.");
        }
        if ((etcd.user() == null) != (etcd.password() == null)) {
            String missing = IdAllocatorProperties.etcdProperty(etcd.user() == null ? "user" : "password");
            String given = IdAllocatorProperties.etcdProperty(etcd.user() == null ? "password" : "user");
            throw new InvalidIdAllocatorPropertyException(
                    missing,
                    null,
                    given + " is set without it",
                    "Set both " + IdAllocatorProperties.etcdProperty("user") + " and "
                            + IdAllocatorProperties.etcdProperty("password") + ", or neither.");
        }
        Duration timeout = etcd.timeout();
        if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new InvalidIdAllocatorPropertyException(
                    IdAllocatorProperties.etcdProperty("timeout"),
                    Durations.format(timeout),
                    "it must be 1ms to 1m",
                    "Set it to a duration such as 5s (the default).");
        }
    }

    /** One etcd client URL, http://host:port or https://host:port; returns its scheme in lower case. */
    private static String checkEndpoint(String property, String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint.trim());
        } catch (URISyntaxException e) {
            uri = null;
        }
        String scheme =
                uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri == null
                || !(scheme.equals("http") || scheme.equals("https"))
                || uri.getHost() == null
                || uri.getPort() < 0) {
            throw new InvalidIdAllocatorPropertyException(
                    property,
                    endpoint,
                    "it is not an etcd client URL http://host:port or https://host:port",
                    "Set it to a member's client URL, such as http://etcd-0:2379 (https://etcd-0:2379 for TLS).");
        }
        return scheme;
    }

    private static void checkTimings(IdAllocatorProperties properties) {
        Duration commandTimeout = properties.defaultCommandTimeout();
        if (commandTimeout.isNegative() || commandTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new InvalidIdAllocatorPropertyException(
                    PREFIX + ".default-command-timeout",
                    Durations.format(commandTimeout),
                    "it must be 0 to 10m",
                    "Set it to a duration such as 2s (the default), or 0 to keep the Redis client's own default.");
        }
        Duration refresh = properties.metrics().refreshInterval();
        if (refresh.compareTo(Duration.ofMillis(100)) < 0 || refresh.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidIdAllocatorPropertyException(
                    PREFIX + ".metrics.refresh-interval",
                    Durations.format(refresh),
                    "it must be 100ms to 1h",
                    "Set it to a duration such as 5s (the default): about as often as metrics are scraped.");
        }
    }

    private static void checkHealth(IdAllocatorProperties.Health health) {
        if (!(health.utilisationThreshold() > 0 && health.utilisationThreshold() <= 1)) {
            throw new InvalidIdAllocatorPropertyException(
                    PREFIX + ".health.utilisation-threshold",
                    health.utilisationThreshold(),
                    "it must be above 0 and at most 1 (a share of the range)",
                    "Set " + PREFIX + ".health.utilisation-threshold to a value such as 0.9 (the default).");
        }
        if (health.highUtilisationStatus().isBlank()) {
            throw new InvalidIdAllocatorPropertyException(
                    PREFIX + ".health.high-utilisation-status",
                    health.highUtilisationStatus(),
                    "it is blank",
                    "Set it to a health status code such as UP (the default) or OUT_OF_SERVICE.");
        }
        if (health.lockLostWindow().isNegative()) {
            throw new InvalidIdAllocatorPropertyException(
                    PREFIX + ".health.lock-lost-window",
                    Durations.format(health.lockLostWindow()),
                    "it is negative",
                    "Set it to a duration such as 1m (the default), or 0 to never report DOWN for a lost lock.");
        }
        if (health.poolUnusableStatus().isBlank()) {
            throw new InvalidIdAllocatorPropertyException(
                    PREFIX + ".health.pool-unusable-status",
                    health.poolUnusableStatus(),
                    "it is blank",
                    "Set it to a health status code such as OUT_OF_SERVICE (the default) or DOWN.");
        }
        Duration timeout = health.timeout();
        if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new InvalidIdAllocatorPropertyException(
                    PREFIX + ".health.timeout",
                    Durations.format(timeout),
                    "it must be 1ms to 1m",
                    "Set it to a duration such as 1s (the default): shorter than the interval health is probed at.");
        }
    }

    /** A resource listed twice under one pool is a mistake: the second would silently override the first. */
    private static void requireDistinctResources(String pool, ResourcePoolFactory.ConfiguredPool configured) {
        Map<String, Integer> seen = new HashMap<>();
        List<ResourcePoolFactory.Seed> resources = configured.resources();
        for (int i = 0; i < resources.size(); i++) {
            String name = resources.get(i).name();
            Integer first = seen.putIfAbsent(name, i);
            if (first != null) {
                String property = IdAllocatorProperties.poolProperty(pool, "resources[" + i + "].name");
                throw new InvalidIdAllocatorPropertyException(
                        property,
                        name,
                        "resource '" + name + "' is listed twice (first as "
                                + IdAllocatorProperties.poolProperty(pool, "resources[" + first + "]") + ")",
                        "Remove one of the two entries of " + IdAllocatorProperties.poolProperty(pool, "resources")
                                + ".");
            }
        }
    }

    /** A primary allocator or sequence must name a configured one. */
    private static void requireConfigured(
            String property, @Nullable String name, String kind, Map<String, ?> configured) {
        if (name == null || configured.containsKey(name)) {
            return;
        }
        String under = PREFIX + "." + kind + "s";
        throw new InvalidIdAllocatorPropertyException(
                property,
                name,
                "it names no configured " + kind + " (configured: " + configured.keySet() + ")",
                configured.isEmpty()
                        ? "Configure the " + kind + " under " + under + "." + name + ".*, or remove " + property + "."
                        : "Set " + property + " to one of " + configured.keySet() + ", or remove it.");
    }

    /** The worker ids need an allocator of their own, not one of the configured allocators. */
    private static void requireOwnWorkerAllocator(String allocatorName, Set<String> allocators) {
        if (allocators.contains(allocatorName)) {
            String property = IdAllocatorProperties.snowflakeProperty("allocator-name");
            throw new InvalidIdAllocatorPropertyException(
                    property,
                    allocatorName,
                    "an allocator of that name is configured under "
                            + IdAllocatorProperties.allocatorProperty(allocatorName, "")
                            + ": the worker ids need an allocator of their own",
                    "Set " + property + " to a name no allocator uses, such as snowflake-workers (the default).");
        }
    }
}
