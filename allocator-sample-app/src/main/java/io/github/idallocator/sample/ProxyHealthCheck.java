package io.github.idallocator.sample;

import io.github.idallocator.pool.ResourceHealthCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The health check of the pool {@code proxies} (the qualifier names the pool): a quarantined proxy that accepts a TCP
 * connection within a second is restored. The pool's creator instance runs it on quarantined proxies only, every
 * maintenance interval.
 */
@Component
@Qualifier("proxies")
class ProxyHealthCheck implements ResourceHealthCheck {

    private static final int CONNECT_TIMEOUT_MILLIS = 1000;

    @Override
    public boolean isHealthy(String resource, String metadata) throws IOException {
        InetSocketAddress proxy = ProxyFetchController.address(resource);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(proxy.getHostString(), proxy.getPort()), CONNECT_TIMEOUT_MILLIS);
            return true;
        }
    }
}
