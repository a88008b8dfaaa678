package io.github.idallocator.autoconfigure.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.github.idallocator.autoconfigure.CheckedProperties;
import io.github.idallocator.autoconfigure.CoreConfigMapping;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.autoconfigure.InvalidIdAllocatorPropertyException;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.autoconfigure.snowflake.SnowflakeAutoConfiguration;
import io.github.idallocator.etcd.EtcdWorkerIdStore;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.snowflake.WorkerIdStore;
import io.github.idallocator.spring.IdAllocatorFactory;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Snowflake worker ids claimed from etcd, with {@code idallocator.snowflake.enabled=true}, {@code
 * idallocator.snowflake.backend=etcd} and the optional {@code allocator-etcd} module on the class path: a jetcd {@link
 * Client} of {@code idallocator.etcd.*} (closed on shutdown) and an {@link EtcdWorkerIdStore} over the worker-id range
 * {@code idallocator.snowflake.worker-id-min..worker-id-max} under {@link IdAllocatorProperties#etcdNamespace()}. The
 * {@link SnowflakeAutoConfiguration} then leases the generator's worker id from that store, and creates no range
 * allocator of worker ids on Redis.
 *
 * <p>With {@code https} endpoints the client speaks TLS: it trusts the trust store of the SSL bundle named by {@code
 * idallocator.etcd.ssl.bundle} (else the JVM's default CA certificates) and presents the bundle's key store, if it has
 * one, as its client certificate. One TLS handshake with the first endpoint checks those settings before the client is
 * built: a handshake etcd refuses fails start-up naming the property (an unreachable endpoint passes).
 *
 * <p>An application's own {@code Client} bean is used instead of the one built here (and closed by the application);
 * its own {@link WorkerIdStore} bean replaces the etcd store.
 */
@AutoConfiguration(after = IdAllocatorAutoConfiguration.class, before = SnowflakeAutoConfiguration.class)
@ConditionalOnClass({EtcdWorkerIdStore.class, Client.class})
@ConditionalOnBooleanProperty("idallocator.snowflake.enabled")
@ConditionalOnProperty(name = "idallocator.snowflake.backend", havingValue = "etcd")
@ConditionalOnBean(IdAllocatorFactory.class)
public final class EtcdWorkerIdAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Client idAllocatorEtcdClient(IdAllocatorProperties properties, ObjectProvider<SslBundles> sslBundles) {
        // the properties are checked here too: this bean may be created before the IdAllocatorFactory that checks them
        IdAllocatorProperties.Etcd etcd = CheckedProperties.check(properties).etcd();
        ClientBuilder builder = Client.builder()
                .endpoints(etcd.endpoints().stream().map(String::trim).toArray(String[]::new))
                .connectTimeout(etcd.timeout());
        String user = etcd.user();
        String password = etcd.password();
        if (user != null && password != null) {
            builder.user(ByteSequence.from(user, StandardCharsets.UTF_8))
                    .password(ByteSequence.from(password, StandardCharsets.UTF_8));
        }
        String first = etcd.endpoints().get(0).trim();
        if (first.regionMatches(true, 0, "https:", 0, 6)) {
            SslBundle bundle = bundle(etcd.ssl().bundle(), sslBundles);
            try {
                builder.sslContext(tls -> configure(tls, bundle));
            } catch (SSLException | RuntimeException e) {
                throw invalidBundle(etcd.ssl().bundle(), "its TLS settings cannot be used: " + e.getMessage(), e);
            }
            checkHandshake(URI.create(first), etcd.ssl().bundle(), bundle, etcd.timeout());
        }
        return builder.build();
    }

    /**
     * Fails start-up naming {@code idallocator.etcd.ssl.bundle} when etcd refuses a TLS handshake with these settings
     * (an untrusted server certificate, a missing client certificate): the client would only time out.
     */
    private static void checkHandshake(
            URI endpoint, @Nullable String name, @Nullable SslBundle bundle, Duration timeout) {
        SSLContext context;
        try {
            context = bundle != null ? bundle.createSslContext() : SSLContext.getDefault();
        } catch (NoSuchAlgorithmException | RuntimeException e) {
            return; // the client reports what it cannot use
        }
        SslOptions options = bundle != null ? bundle.getOptions() : SslOptions.NONE;
        EtcdTlsCheck.handshakeFailure(endpoint, context, options.getEnabledProtocols(), options.getCiphers(), timeout)
                .ifPresent(reason -> {
                    throw name != null
                            ? invalidBundle(name, reason, null)
                            : new InvalidIdAllocatorPropertyException(
                                    IdAllocatorProperties.etcdProperty("ssl.bundle"),
                                    null,
                                    reason + " (without a bundle the JVM's default CA certificates are trusted)",
                                    "Set idallocator.etcd.ssl.bundle to an SSL bundle under spring.ssl.bundle.pem.<name>.*"
                                            + " (truststore.certificate: the CA certificates of etcd's server"
                                            + " certificate; keystore.certificate and keystore.private-key: a client"
                                            + " certificate, for etcd's --client-cert-auth).");
                });
    }

    /** The bundle named by {@code idallocator.etcd.ssl.bundle}; null when it is not set (the JVM's default trust). */
    private static @Nullable SslBundle bundle(@Nullable String name, ObjectProvider<SslBundles> sslBundles) {
        if (name == null) {
            return null;
        }
        SslBundles bundles = sslBundles.getIfAvailable();
        if (bundles == null) {
            throw invalidBundle(name, "there is no SslBundles bean (Spring Boot's SslAutoConfiguration is off)", null);
        }
        try {
            return bundles.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            throw invalidBundle(name, "no SSL bundle of that name is configured", e);
        } catch (RuntimeException e) {
            throw invalidBundle(name, "the SSL bundle cannot be loaded: " + e.getMessage(), e);
        }
    }

    /** Trust and client certificate of {@code bundle} on jetcd's gRPC client TLS settings (ALPN h2 already set). */
    private static void configure(SslContextBuilder tls, @Nullable SslBundle bundle) {
        if (bundle == null) {
            return;
        }
        SslManagerBundle managers = bundle.getManagers();
        tls.trustManager(managers.getTrustManagerFactory());
        if (bundle.getStores().getKeyStore() != null) {
            tls.keyManager(managers.getKeyManagerFactory());
        }
        SslOptions options = bundle.getOptions();
        if (options.getCiphers() != null) {
            tls.ciphers(List.of(options.getCiphers()));
        }
        if (options.getEnabledProtocols() != null) {
            tls.protocols(options.getEnabledProtocols());
        }
    }

    private static InvalidIdAllocatorPropertyException invalidBundle(
            @Nullable String name, String reason, @Nullable Throwable cause) {
        InvalidIdAllocatorPropertyException e = new InvalidIdAllocatorPropertyException(
                IdAllocatorProperties.etcdProperty("ssl.bundle"),
                name,
                reason,
                "Configure the bundle under spring.ssl.bundle.pem." + name + ".* (truststore.certificate: the CA"
                        + " certificates of etcd's server certificate; keystore.certificate and keystore.private-key:"
                        + " a client certificate, for etcd's --client-cert-auth).");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    @Bean
    @ConditionalOnMissingBean(WorkerIdStore.class)
    EtcdWorkerIdStore etcdWorkerIdStore(IdAllocatorFactory factory, IdAllocatorProperties properties, Client client) {
        IdAllocatorConfig workers = CoreConfigMapping.snowflake(properties).workers();
        return new EtcdWorkerIdStore(
                client,
                properties.etcdNamespace(),
                workers.minId(),
                workers.maxId(),
                factory.instanceId(),
                properties.etcd().timeout());
    }
}
