package io.github.idallocator.sample;

import io.github.idallocator.pool.ResourceLease;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.pool.Unhealthy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Fetches a URL through one of the outgoing HTTP proxies of the pool {@code proxies} ({@code idallocator.pools.proxies}
 * in application.yml; each resource is a proxy's {@code host:port}). A proxy that fails is released as unhealthy: enough
 * such releases within the pool's window quarantine it, so later fetches go through the others until {@link
 * ProxyHealthCheck} finds it answering again.
 *
 * <pre>
 * POST /fetch?url={url}   fetches {url} (http or https) through a proxy: 200 with the proxy used and the upstream
 *                         status; 502 when the proxy failed (reported unhealthy); 503 when no proxy could be had within
 *                         2 s (all busy or quarantined); 400 for a url that is not absolute http(s)
 * </pre>
 */
@RestController
class ProxyFetchController {

    /** How long a fetch waits for a proxy. */
    private static final Duration WAIT = Duration.ofSeconds(2);

    /** How long one request through a proxy may take. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** How long a proxy stays out when its failures reach the pool's unhealthy threshold. */
    private static final Duration QUARANTINE = Duration.ofMinutes(1);

    private final ResourcePool proxies;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    ProxyFetchController(@Qualifier("proxies") ResourcePool proxies) {
        this.proxies = proxies;
    }

    @PostMapping("/fetch")
    ResponseEntity<?> fetch(@RequestParam URI url) throws InterruptedException {
        if (!url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            return ResponseEntity.of(ProblemDetail.forStatusAndDetail(
                            HttpStatus.BAD_REQUEST, "url '" + url + "' is not an absolute http or https URL"))
                    .build();
        }
        ResourceLease lease = proxies.acquire(WAIT); // PoolTimeoutException: 503 (ApiErrors)
        String proxy = lease.resource();
        HttpResponse<String> response;
        try {
            response = client(proxy)
                    .send(
                            HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            // the proxy refused, timed out or is no host:port: count it towards the proxy's quarantine
            lease.release(Unhealthy.of(QUARANTINE, e.toString()));
            return ResponseEntity.of(ProblemDetail.forStatusAndDetail(
                            HttpStatus.BAD_GATEWAY, "proxy " + proxy + " failed: " + e))
                    .build();
        } catch (InterruptedException | RuntimeException e) {
            lease.release();
            throw e;
        }
        lease.release();
        return ResponseEntity.ok(new Fetched(
                url.toString(),
                proxy,
                lease.fencingToken(),
                response.statusCode(),
                response.body().length()));
    }

    /** A client that sends every request through {@code proxy} ({@code host:port}). */
    private HttpClient client(String proxy) {
        return clients.computeIfAbsent(proxy, name -> HttpClient.newBuilder()
                .proxy(ProxySelector.of(address(name)))
                .connectTimeout(REQUEST_TIMEOUT)
                .build());
    }

    /**
     * The address of a proxy named {@code host:port}.
     *
     * @throws IllegalArgumentException when the name is not {@code host:port}
     */
    static InetSocketAddress address(String proxy) {
        int colon = proxy.lastIndexOf(':');
        if (colon <= 0 || colon == proxy.length() - 1) {
            throw new IllegalArgumentException("proxy '" + proxy + "' is not host:port");
        }
        return InetSocketAddress.createUnresolved(
                proxy.substring(0, colon), Integer.parseInt(proxy.substring(colon + 1)));
    }

    /**
     * A fetch.
     *
     * @param url the URL fetched
     * @param proxy the proxy it went through ({@code host:port})
     * @param fencingToken the fencing token of the proxy's lease
     * @param status the upstream's HTTP status
     * @param length the length of the upstream's body, in characters
     */
    record Fetched(String url, String proxy, long fencingToken, int status, int length) {}
}
