package io.github.idallocator.autoconfigure.endpoint;

import io.github.idallocator.autoconfigure.IdAllocatorAutoConfiguration;
import io.github.idallocator.autoconfigure.IdAllocatorLifecycle;
import io.github.idallocator.autoconfigure.IdAllocatorProperties;
import io.github.idallocator.autoconfigure.IdAllocators;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link IdAllocatorEndpoint}: present when Spring Boot Actuator is on the class path, the
 * endpoint is exposed ({@code management.endpoints.web.exposure.include}) and idallocator is configured. The endpoint
 * condition sits on the bean method, so that its class is only loaded once Actuator is known to be present.
 */
@AutoConfiguration(after = IdAllocatorAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(IdAllocators.class)
public final class IdAllocatorEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    IdAllocatorEndpoint idAllocatorEndpoint(
            IdAllocators allocators, ObjectProvider<IdAllocatorLifecycle> lifecycle, IdAllocatorProperties properties) {
        return new IdAllocatorEndpoint(allocators, lifecycle.getIfAvailable(), properties);
    }
}
