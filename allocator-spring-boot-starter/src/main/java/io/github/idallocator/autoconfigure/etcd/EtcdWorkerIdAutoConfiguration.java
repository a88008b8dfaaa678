package io.github.idallocator.autoconfigure.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.github.idallocator.autoconfigure.CheckedProperties;
import io.github.idallocator.autoconfigure.CoreConfigMapping;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.autoconfigure.range.IdAllocatorAutoConfiguration;
import io.github.idallocator.autoconfigure.snowflake.SnowflakeAutoConfiguration;
import io.github.idallocator.etcd.EtcdWorkerIdStore;
import io.github.idallocator.range.IdAllocatorConfig;
import io.github.idallocator.snowflake.WorkerIdStore;
import io.github.idallocator.spring.IdAllocatorFactory;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Snowflake worker ids claimed from etcd, with {@code idallocator.snowflake.enabled=true}, {@code
 * idallocator.snowflake.backend=etcd} and the optional {@code allocator-etcd} module on the class path: a jetcd {@link
 * Client} of {@code idallocator.etcd.*} (closed on shutdown) and an {@link EtcdWorkerIdStore} over the worker-id range
 * {@code idallocator.snowflake.worker-id-min..worker-id-max} under {@link IdAllocatorProperties#etcdNamespace()}. The
 * {@link SnowflakeAutoConfiguration} then leases the generator's worker id from that store, and creates no range
 * allocator of worker ids on Redis.
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
    Client idAllocatorEtcdClient(IdAllocatorProperties properties) {
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
        return builder.build();
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
