package io.github.idallocator.spring.actuate.endpoint;

import io.github.idallocator.spring.actuate.endpoint.IdAllocatorEndpoint.CleanupDescriptor;
import io.github.idallocator.spring.actuate.endpoint.IdAllocatorEndpoint.ForceFreeDescriptor;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@link IdAllocatorEndpoint}'s write operations over HTTP: {@code 404} for an allocator name that is unknown, where
 * the web layer would answer a write operation's {@code null} with {@code 204 No Content}.
 */
@EndpointWebExtension(endpoint = IdAllocatorEndpoint.class)
public class IdAllocatorEndpointWebExtension {

    private final IdAllocatorEndpoint endpoint;

    /**
     * Creates the extension.
     *
     * @param endpoint the endpoint whose operations it answers
     */
    public IdAllocatorEndpointWebExtension(IdAllocatorEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** {@link IdAllocatorEndpoint#cleanup(String)}; {@code 404} for an unknown allocator. */
    @WriteOperation
    public WebEndpointResponse<CleanupDescriptor> cleanup(@Selector String name) {
        return foundOr404(endpoint.cleanup(name));
    }

    /** {@link IdAllocatorEndpoint#forceFree(String, long)}; {@code 404} for an unknown allocator. */
    @DeleteOperation
    public WebEndpointResponse<ForceFreeDescriptor> forceFree(@Selector String name, @Selector long id) {
        return foundOr404(endpoint.forceFree(name, id));
    }

    private static <T> WebEndpointResponse<T> foundOr404(@Nullable T body) {
        return body == null
                ? new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND)
                : new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK);
    }
}
