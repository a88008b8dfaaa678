package io.github.idallocator.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.idallocator.pool.Removal;
import io.github.idallocator.pool.ResourceInfo;
import io.github.idallocator.pool.ResourcePool;
import io.github.idallocator.pool.ResourceState;
import io.github.idallocator.test.RedisServerExtension;
import io.github.idallocator.test.WithRedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The proxy pool of the sample: fetches go through the pool's proxies, a failing proxy is released unhealthy and
 * quarantined, and the health check restores a proxy that answers again. The proxies are local: one HTTP server that
 * answers every request it is sent as a proxy, and a port nobody listens on.
 */
@WithRedisServer
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "idallocator.key-prefix=proxy-fetch-tests",
            "spring.data.redis.timeout=2s",
            "idallocator.pools.proxies.unhealthy-threshold=1",
            "idallocator.pools.proxies.maintenance-interval=100ms"
        })
@DirtiesContext // closed with this class, while the shared redis-server still runs
class ProxyFetchTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    /** Answers every request with the URL it was asked for, as a forward proxy would after fetching it. */
    private static final HttpServer WORKING_PROXY = proxy(0);

    /** A port nobody listens on: a proxy that is down. */
    private static final int DOWN_PROXY_PORT = freePort();

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("proxies")
    ResourcePool proxies;

    @DynamicPropertySource
    static void redisAndProxies(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> RedisServerExtension.sharedServer()
                .host());
        registry.add("spring.data.redis.port", () -> RedisServerExtension.sharedServer()
                .port());
        registry.add("idallocator.pools.proxies.resources[0].name", () -> "127.0.0.1:" + DOWN_PROXY_PORT);
        registry.add("idallocator.pools.proxies.resources[1].name", ProxyFetchTests::workingProxy);
        registry.add("idallocator.pools.proxies.resources[1].priority", () -> "1");
    }

    @AfterAll
    static void stopProxy() {
        WORKING_PROXY.stop(0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aProxyThatFailsIsReportedAndQuarantinedAndLaterFetchesGoThroughAnother() {
        RestClient http = RestClient.create("http://localhost:" + port);

        int failed = http.post()
                .uri("/fetch?url={url}", "http://example.test/first")
                .exchange((request, response) -> response.getStatusCode().value());
        Map<String, Object> second = http.post()
                .uri("/fetch?url={url}", "http://example.test/second")
                .retrieve()
                .body(JSON);
        Map<String, Object> third = http.post()
                .uri("/fetch?url={url}", "http://example.test/third")
                .retrieve()
                .body(JSON);

        assertThat(failed).as("the down proxy, priority 0, is tried first").isEqualTo(502);
        assertThat(second).containsEntry("proxy", workingProxy()).containsEntry("status", 200);
        assertThat(third).containsEntry("proxy", workingProxy());
        assertThat(state("127.0.0.1:" + DOWN_PROXY_PORT)).isEqualTo(ResourceState.QUARANTINED);
        assertThat(proxies.heldLeases()).isEmpty();
        Map<String, Object> endpoint =
                http.get().uri("/actuator/idallocator").retrieve().body(JSON);
        Map<String, Object> pool = (Map<String, Object>) ((Map<String, Object>) endpoint.get("pools")).get("proxies");
        assertThat((List<Map<String, Object>>) pool.get("resources")).anySatisfy(resource -> assertThat(resource)
                .containsEntry("name", "127.0.0.1:" + DOWN_PROXY_PORT)
                .containsEntry("state", "QUARANTINED"));
        Map<String, Object> health =
                http.get().uri("/actuator/health/pools").retrieve().body(JSON);
        assertThat(health).containsEntry("status", "UP");
    }

    @Test
    void aQuarantinedProxyThatAnswersAgainIsRestoredByTheHealthCheck() {
        int port = freePort();
        String returning = "127.0.0.1:" + port;
        proxies.add(returning, 2, "comes back");
        proxies.quarantine(returning, Duration.ofMinutes(5), "down for the test");
        HttpServer back = proxy(port);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> state(returning) == ResourceState.ACTIVE);
        } finally {
            back.stop(0);
            proxies.remove(returning, Removal.FORCE);
        }
    }

    @Test
    void aUrlThatIsNotHttpIsABadRequest() {
        int status = RestClient.create("http://localhost:" + port)
                .post()
                .uri("/fetch?url={url}", "file:///etc/passwd")
                .exchange((request, response) -> response.getStatusCode().value());

        assertThat(status).isEqualTo(400);
    }

    private ResourceState state(String resource) {
        return proxies.snapshot().resources().stream()
                .filter(info -> info.name().equals(resource))
                .map(ResourceInfo::state)
                .findFirst()
                .orElseThrow();
    }

    private static String workingProxy() {
        return "127.0.0.1:" + WORKING_PROXY.getAddress().getPort();
    }

    private static HttpServer proxy(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/", exchange -> {
                byte[] body = ("fetched " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
