package io.github.idallocator.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.lock.LockLease;
import io.github.idallocator.lock.LockService;
import io.github.idallocator.test.RedisServerExtension;
import io.github.idallocator.test.WithRedisServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/** The sample in this JVM, with the endpoint's write operations granted; the packaged jar is tested by the IT. */
@WithRedisServer
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoint.idallocator.access=unrestricted",
            "idallocator.key-prefix=sample-tests",
            "spring.data.redis.timeout=2s"
        })
@DirtiesContext // closed with this class, while the shared redis-server still runs
class SampleApplicationTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    @LocalServerPort
    int port;

    @Autowired
    LockService locks;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> RedisServerExtension.sharedServer()
                .host());
        registry.add("spring.data.redis.port", () -> RedisServerExtension.sharedServer()
                .port());
    }

    @Test
    void anOperatorWithAccessCanRunTheCleanupAndForceFreeAnId() {
        RestClient http = RestClient.create("http://localhost:" + port);
        Map<String, Object> lease = http.post().uri("/ids").retrieve().body(JSON);
        Object id = lease.get("firstId");

        ResponseEntity<Map<String, Object>> cleanup =
                http.post().uri("/actuator/idallocator/orders").retrieve().toEntity(JSON);
        ResponseEntity<Map<String, Object>> forceFree = http.delete()
                .uri("/actuator/idallocator/orders/{id}", id)
                .retrieve()
                .toEntity(JSON);

        assertThat(cleanup.getStatusCode().value()).isEqualTo(200);
        assertThat(cleanup.getBody()).containsEntry("allocator", "orders").containsKey("ran");
        assertThat(forceFree.getBody()).containsEntry("freed", true);
        int status = http.get().uri("/ids/{id}", id).exchange((request, response) -> response.getStatusCode()
                .value());
        assertThat(status).isEqualTo(404);
    }

    @Test
    void theWriteOperationsAnswer404ForAnUnknownAllocator() {
        RestClient http = RestClient.create("http://localhost:" + port);

        int cleanup = http.post()
                .uri("/actuator/idallocator/unknown")
                .exchange((request, response) -> response.getStatusCode().value());
        int forceFree = http.delete()
                .uri("/actuator/idallocator/unknown/1")
                .exchange((request, response) -> response.getStatusCode().value());

        assertThat(cleanup).isEqualTo(404);
        assertThat(forceFree).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachAllocatorHasAHealthPathOfItsOwn() {
        RestClient http = RestClient.create("http://localhost:" + port);

        Map<String, Object> idallocator =
                http.get().uri("/actuator/health/idallocator").retrieve().body(JSON);
        Map<String, Object> orders =
                http.get().uri("/actuator/health/idallocator/orders").retrieve().body(JSON);

        assertThat(idallocator).containsEntry("status", "UP");
        assertThat((Map<String, Object>) idallocator.get("components"))
                .containsKeys("orders", "workers", "snowflake-workers");
        assertThat(orders).containsEntry("status", "UP");
        assertThat((Map<String, Object>) orders.get("details")).containsEntry("highUtilisation", false);
    }

    @Test
    void sequencesAndPoolsAreReachableByNameUnderTheEndpoint() {
        RestClient http = RestClient.create("http://localhost:" + port);

        Map<String, Object> byName =
                http.get().uri("/actuator/idallocator/invoices").retrieve().body(JSON);
        Map<String, Object> byKind = http.get()
                .uri("/actuator/idallocator/sequences/invoices")
                .retrieve()
                .body(JSON);
        Map<String, Object> pool =
                http.get().uri("/actuator/idallocator/pools/proxies").retrieve().body(JSON);
        Map<String, Object> allocator = http.get()
                .uri("/actuator/idallocator/allocators/orders")
                .retrieve()
                .body(JSON);
        int unknownKind = http.get()
                .uri("/actuator/idallocator/queues/invoices")
                .exchange((request, response) -> response.getStatusCode().value());

        assertThat(byName).containsEntry("name", "invoices").containsKey("highWaterMark");
        assertThat(byKind).containsEntry("name", "invoices").containsKey("highWaterMark");
        assertThat(pool).containsEntry("name", "proxies");
        assertThat(allocator).containsEntry("name", "orders");
        assertThat(unknownKind).isEqualTo(404);
    }

    @Test
    void anEmailIsSentByAWorkerOfTheTaskQueueAndItsResultReadById() {
        RestClient http = RestClient.create("http://localhost:" + port);

        Map<String, Object> submitted = http.post()
                .uri("/emails")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("to", "ada@example.com", "subject", "Welcome"))
                .retrieve()
                .body(JSON);
        Map<String, Object> sent =
                http.get().uri("/emails/{id}", submitted.get("id")).retrieve().body(JSON);

        assertThat(submitted).containsEntry("created", true);
        assertThat(sent).containsEntry("to", "ada@example.com").containsEntry("attempt", 1);
        assertThat(((Number) sent.get("fencingToken")).longValue()).isPositive();
    }

    @Test
    void anEmailToAnAddressThatCannotBeSentFailsForGood() {
        RestClient http = RestClient.create("http://localhost:" + port);
        Map<String, Object> submitted = http.post()
                .uri("/emails")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("to", "nobody", "subject", "Welcome"))
                .retrieve()
                .body(JSON);

        int status = http.get()
                .uri("/emails/{id}", submitted.get("id"))
                .exchange((request, response) -> response.getStatusCode().value());

        assertThat(status).isEqualTo(422);
    }

    @Test
    void theWorkerIdComesFromTheWorkersAllocator() {
        Map<String, Object> worker = RestClient.create("http://localhost:" + port)
                .get()
                .uri("/worker")
                .retrieve()
                .body(JSON);

        assertThat(worker).containsEntry("allocator", "workers");
        assertThat(((Number) worker.get("firstId")).longValue()).isBetween(0L, 1023L);
    }

    @Test
    void askingForTooManySnowflakeIdsIsABadRequest() {
        int status = RestClient.create("http://localhost:" + port)
                .get()
                .uri("/snowflake/ids?count=1001")
                .exchange((request, response) -> response.getStatusCode().value());

        assertThat(status).isEqualTo(400);
    }

    @Test
    void askingForTooManySequenceIdsIsABadRequest() {
        int status = RestClient.create("http://localhost:" + port)
                .post()
                .uri("/sequences/invoices/next?count=10001")
                .exchange((request, response) -> response.getStatusCode().value());

        assertThat(status).isEqualTo(400);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReportRunsUnderItsLockAndIsRefusedWhileAnotherHolderHasIt() {
        RestClient http = RestClient.create("http://localhost:" + port);
        Map<String, Object> first =
                http.post().uri("/reports/monthly").retrieve().body(JSON);

        int refused;
        Map<String, Object> endpoint;
        try (LockLease elsewhere = locks.tryAcquire("reports/monthly").orElseThrow()) {
            refused = http.post().uri("/reports/monthly").exchange((request, response) -> response.getStatusCode()
                    .value());
            endpoint = http.get().uri("/actuator/idallocator").retrieve().body(JSON);
        }
        Map<String, Object> second =
                http.post().uri("/reports/monthly").retrieve().body(JSON);

        assertThat(first).containsEntry("report", "monthly");
        assertThat(refused).isEqualTo(409);
        assertThat((Map<String, Object>) endpoint.get("locks")).containsEntry("namespace", "sample");
        assertThat((List<Map<String, Object>>) ((Map<String, Object>) endpoint.get("locks")).get("held"))
                .extracting(held -> held.get("name"))
                .containsExactly("reports/monthly");
        assertThat(((Number) second.get("fencingToken")).longValue())
                .isGreaterThan(((Number) first.get("fencingToken")).longValue());
        assertThat(locks.heldLocks()).isEmpty();
    }
}
