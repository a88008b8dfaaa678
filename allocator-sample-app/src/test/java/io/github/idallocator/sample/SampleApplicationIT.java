package io.github.idallocator.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.launcher.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * End to end: runs the packaged jar ({@code java -jar target/allocator-sample-app.jar}) on a free port against a real
 * redis-server, and talks to it over HTTP only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleApplicationIT {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    private static RedisServerProcess redis;
    private static SampleJar app;
    private static RestClient http;

    @BeforeAll
    static void startTheJar() throws Exception {
        redis = RedisServerProcess.start();
        app = SampleJar.start(
                "sample-app-it.log",
                "--spring.data.redis.host=" + redis.host(),
                "--spring.data.redis.port=" + redis.port(),
                // a Redis of its own: no other instance can hold ids of it, so no recovery period to wait out
                "--idallocator.sequences.invoices.recovery-period=0",
                "--idallocator.snowflake.recovery-period=0");
        http = app.http();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    @Order(1)
    void usesTheConfiguredRedisRatherThanAnEmbeddedOne() {
        assertThat(app.log())
                .doesNotContain("No Redis configured")
                .contains("Using the Redis configured by spring.data.redis.*: " + redis.host() + ":" + redis.port());
        assertThat(redis.command(
                        "EXISTS",
                        "idalloc:{orders}:meta",
                        "idalloc:{workers}:meta",
                        "idalloc:{snowflake-workers}:meta"))
                .isEqualTo(3L);
    }

    @Test
    @Order(2)
    void theRestApiAllocatesRangesListsExtendsAndFreesIds() {
        ResponseEntity<Map<String, Object>> one =
                http.post().uri("/ids").retrieve().toEntity(JSON);
        ResponseEntity<Map<String, Object>> range =
                http.post().uri("/ids/range?count=5").retrieve().toEntity(JSON);
        long id = number(one.getBody(), "firstId");

        assertThat(one.getStatusCode().value()).isEqualTo(201);
        assertThat(one.getHeaders().getLocation()).hasPath("/ids/" + id);
        assertThat(number(range.getBody(), "lastId") - number(range.getBody(), "firstId"))
                .isEqualTo(4);
        assertThat(leases(http.get().uri("/ids").retrieve().body(JSON)))
                .extracting(lease -> number(lease, "firstId"))
                .contains(id, number(range.getBody(), "firstId"));

        Map<String, Object> extended =
                http.put().uri("/ids/{id}/ttl?ttl=PT1H", id).retrieve().body(JSON);
        assertThat(extended.get("expiresAt").toString())
                .isGreaterThan(one.getBody().get("expiresAt").toString());

        assertThat(http.delete()
                        .uri("/ids/{id}", id)
                        .retrieve()
                        .toBodilessEntity()
                        .getStatusCode()
                        .value())
                .isEqualTo(204);
        assertThat(http.get()
                        .uri("/ids/{id}", id)
                        .retrieve()
                        .toBodilessEntity()
                        .getStatusCode()
                        .value())
                .isEqualTo(404);
    }

    @Test
    @Order(3)
    void theIdAllocatorEndpointShowsEveryAllocatorAndEachByName() {
        Map<String, Object> all =
                http.get().uri("/actuator/idallocator").retrieve().body(JSON);
        ResponseEntity<Map<String, Object>> orders =
                http.get().uri("/actuator/idallocator/orders").retrieve().toEntity(JSON);
        int unknown = http.get()
                .uri("/actuator/idallocator/unknown")
                .retrieve()
                .toBodilessEntity()
                .getStatusCode()
                .value();

        assertThat(map(all, "allocators")).containsOnlyKeys("orders", "workers", "snowflake-workers");
        assertThat(orders.getStatusCode().value()).isEqualTo(200);
        assertThat(map(orders.getBody(), "stats")).containsEntry("minId", 1).containsEntry("maxId", 1000000);
        assertThat(map(map(orders.getBody(), "stats"), "creator")).containsKeys("instanceId", "heartbeatAge");
        assertThat(map(orders.getBody(), "configuration")).containsEntry("defaultTtl", "PT10M");
        assertThat(unknown).isEqualTo(404);
    }

    @Test
    @Order(4)
    void theEndpointsWriteOperationsAreNotReachableByDefault() {
        int cleanup = http.post()
                .uri("/actuator/idallocator/orders")
                .retrieve()
                .toBodilessEntity()
                .getStatusCode()
                .value();
        int forceFree = http.delete()
                .uri("/actuator/idallocator/orders/1")
                .retrieve()
                .toBodilessEntity()
                .getStatusCode()
                .value();

        assertThat(cleanup).isBetween(400, 499);
        assertThat(forceFree).isBetween(400, 499);
    }

    @Test
    @Order(5)
    void healthIncludesTheIdAllocatorContributorWithOneComponentPerAllocator() {
        Map<String, Object> health =
                http.get().uri("/actuator/health").retrieve().body(JSON);
        Map<String, Object> idallocator = map(map(health, "components"), "idallocator");

        assertThat(health).containsEntry("status", "UP");
        assertThat(idallocator).containsEntry("status", "UP");
        assertThat(map(idallocator, "components")).containsOnlyKeys("orders", "workers", "snowflake-workers");
        assertThat(map(map(idallocator, "components"), "orders")).containsEntry("status", "UP");
    }

    @Test
    @Order(6)
    void healthIncludesTheSnowflakeIndicatorWithTheWorkerId() {
        Map<String, Object> health =
                http.get().uri("/actuator/health").retrieve().body(JSON);
        Map<String, Object> snowflake = map(map(health, "components"), "snowflake");

        assertThat(snowflake).containsEntry("status", "UP");
        assertThat(number(map(snowflake, "details"), "workerId")).isBetween(0L, 255L);
    }

    @Test
    @Order(6)
    void healthIncludesTheLocksIndicatorAndAReportRunsUnderItsLock() {
        Map<String, Object> run = http.post().uri("/reports/daily").retrieve().body(JSON);
        Map<String, Object> health =
                http.get().uri("/actuator/health").retrieve().body(JSON);
        Map<String, Object> locks = map(map(health, "components"), "locks");

        assertThat(run).containsEntry("report", "daily");
        assertThat(number(run, "fencingToken")).isPositive();
        assertThat(locks).containsEntry("status", "UP");
        assertThat(map(locks, "details")).containsEntry("namespace", "sample").containsEntry("held", 0);
    }

    @Test
    @Order(7)
    void metricsIncludeAllocationsLatencyAndGauges() {
        http.post().uri("/ids").retrieve().toBodilessEntity();

        Map<String, Object> names =
                http.get().uri("/actuator/metrics").retrieve().body(JSON);
        Map<String, Object> allocations = http.get()
                .uri("/actuator/metrics/idallocator.allocations?tag=allocator:orders&tag=outcome:success")
                .retrieve()
                .body(JSON);

        assertThat(strings(names, "names"))
                .contains(
                        "idallocator.allocations",
                        "idallocator.operations",
                        "idallocator.frees",
                        "idallocator.ids.allocated",
                        "idallocator.ids.available",
                        "idallocator.utilisation",
                        "idallocator.creator",
                        "idallocator.leases.reclaimed",
                        "idallocator.snowflake.ids",
                        "idallocator.snowflake.worker.id",
                        "idallocator.snowflake.lease.valid",
                        "idallocator.snowflake.lease.lost",
                        "idallocator.snowflake.clock.backwards",
                        "idallocator.sequence.ids",
                        "idallocator.sequence.reserved",
                        "idallocator.sequence.segments",
                        "idallocator.sequence.repairs",
                        "idallocator.sequence.refill.latency",
                        "idallocator.lock.acquire",
                        "idallocator.lock.wait",
                        "idallocator.lock.held",
                        "idallocator.lock.lost");
        assertThat(measurement(allocations, "COUNT")).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(8)
    void theSnowflakeApiReturnsIncreasingIdsWithTheirPartsWhichTheSnowflakeEndpointDecodesAlike() {
        Map<String, Object> issued =
                http.get().uri("/snowflake/ids?count=3").retrieve().body(JSON);
        List<Map<String, Object>> ids = list(issued, "ids");
        long workerId = number(issued, "workerId");

        assertThat(ids).hasSize(3);
        assertThat(ids).allSatisfy(id -> assertThat(number(id, "workerId")).isEqualTo(workerId));
        assertThat(number(ids.get(0), "id")).isLessThan(number(ids.get(1), "id"));
        assertThat(number(ids.get(1), "id")).isLessThan(number(ids.get(2), "id"));
        Map<String, Object> decoded = http.get()
                .uri("/actuator/snowflake/{id}", number(ids.get(2), "id"))
                .retrieve()
                .body(JSON);
        assertThat(decoded)
                .containsEntry("workerId", ids.get(2).get("workerId"))
                .containsEntry("sequence", ids.get(2).get("sequence"));
        assertThat(Instant.parse(decoded.get("timestamp").toString()))
                .isEqualTo(Instant.parse(ids.get(2).get("timestamp").toString()));
    }

    @Test
    @Order(9)
    void theIdAllocatorEndpointShowsTheSnowflakeGenerator() {
        Map<String, Object> snowflake =
                map(http.get().uri("/actuator/idallocator").retrieve().body(JSON), "snowflake");

        assertThat(snowflake).containsEntry("granted", true).containsKeys("leaseExpiresAt", "sinceLastRenewal");
        assertThat(number(snowflake, "issued")).isGreaterThanOrEqualTo(3);
        assertThat(map(snowflake, "lease"))
                .containsEntry("allocator", "snowflake-workers")
                .containsEntry("workerIdMax", 255);
        assertThat(map(snowflake, "layout")).containsEntry("epoch", "2024-01-01T00:00:00Z");
    }

    @Test
    @Order(10)
    void theSequenceApiHandsOutContiguousIncreasingIdsAndTheEndpointShowsTheSequence() {
        Map<String, Object> one =
                http.post().uri("/sequences/invoices/next").retrieve().body(JSON);
        Map<String, Object> ten =
                http.post().uri("/sequences/invoices/next?count=10").retrieve().body(JSON);
        int unknown = http.post()
                .uri("/sequences/unknown/next")
                .retrieve()
                .toBodilessEntity()
                .getStatusCode()
                .value();

        assertThat(number(one, "first")).isEqualTo(100000);
        assertThat(number(ten, "first")).isGreaterThan(number(one, "last"));
        assertThat(number(ten, "last") - number(ten, "first")).isEqualTo(9);
        assertThat(unknown).isEqualTo(404);
        Map<String, Object> invoices =
                map(map(http.get().uri("/actuator/idallocator").retrieve().body(JSON), "sequences"), "invoices");
        assertThat(number(invoices, "handedOut")).isEqualTo(11);
        assertThat(number(invoices, "lastHandedOut")).isEqualTo(number(ten, "last"));
        assertThat(number(invoices, "reserved")).isGreaterThanOrEqualTo(11);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void stoppingTheAppReleasesItsWorkerIdsAndCreatorRoles() throws Exception {
        assertThat(redis.command("HLEN", "idalloc:{workers}:leases")).isEqualTo(1L);
        assertThat(redis.command("HLEN", "idalloc:{snowflake-workers}:leases")).isEqualTo(1L);

        assertThat(app.stop(Duration.ofSeconds(30)))
                .as("the app stops on SIGTERM")
                .isTrue();

        assertThat(redis.command("HLEN", "idalloc:{workers}:leases")).isEqualTo(0L);
        assertThat(redis.command("HLEN", "idalloc:{snowflake-workers}:leases")).isEqualTo(0L);
        assertThat(redis.command(
                        "EXISTS",
                        "idalloc:{workers}:creator",
                        "idalloc:{orders}:creator",
                        "idalloc:{snowflake-workers}:creator"))
                .isEqualTo(0L);
        assertThat(app.log())
                .contains("Released 1 lease of allocator 'workers'")
                .contains("Released Snowflake worker id");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> json, String key) {
        return (List<Map<String, Object>>) json.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> leases(Map<String, Object> json) {
        return (List<Map<String, Object>>) json.get("leases");
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> json, String key) {
        return (List<String>) json.get(key);
    }

    private static long number(Map<String, Object> json, String key) {
        return ((Number) json.get(key)).longValue();
    }

    @SuppressWarnings("unchecked")
    private static double measurement(Map<String, Object> metric, String statistic) {
        for (Map<String, Object> m : (List<Map<String, Object>>) metric.get("measurements")) {
            if (statistic.equals(m.get("statistic"))) {
                return ((Number) m.get("value")).doubleValue();
            }
        }
        throw new AssertionError("No " + statistic + " in " + metric);
    }
}
