package io.github.idallocator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code idallocator.snowflake.backend} and {@code idallocator.etcd.*}: defaults and the checks at start-up. */
class EtcdBackendPropertiesTests {

    @Test
    void theBackendIsRedisByDefaultAndTheEtcdDefaultsAreSensible() {
        IdAllocatorProperties properties = bindAndCheck(Map.of("idallocator.snowflake.enabled", "true"));

        assertThat(properties.snowflake().backend()).isEqualTo("redis");
        assertThat(properties.etcd().endpoints()).isEmpty();
        assertThat(properties.etcd().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.etcd().user()).isNull();
    }

    @Test
    void theEtcdNamespaceDefaultsToTheKeyPrefixAndWorkerAllocatorName() {
        assertThat(bind(Map.of()).etcdNamespace()).isEqualTo("idalloc/snowflake-workers/");
        assertThat(bind(Map.of("idallocator.key-prefix", "shop", "idallocator.snowflake.allocator-name", "w"))
                        .etcdNamespace())
                .isEqualTo("shop/w/");
        assertThat(bind(Map.of("idallocator.etcd.namespace", "custom/")).etcdNamespace())
                .isEqualTo("custom/");
    }

    @Test
    void aValidEtcdConfigurationPasses() {
        IdAllocatorProperties properties = bindAndCheck(etcd(Map.of(
                "idallocator.etcd.endpoints", "http://etcd-0:2379, http://etcd-1:2379",
                "idallocator.etcd.user", "app",
                "idallocator.etcd.password", "secret",
                "idallocator.etcd.timeout", "2s")));

        assertThat(properties.etcd().endpoints()).hasSize(2);
        assertThat(properties.etcd().timeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void anUnknownBackendFailsNamingTheAcceptedValues() {
        InvalidIdAllocatorPropertyException e =
                fails(Map.of("idallocator.snowflake.enabled", "true", "idallocator.snowflake.backend", "zookeeper"));

        assertThat(e.property()).isEqualTo("idallocator.snowflake.backend");
        assertThat(e.value()).isEqualTo("zookeeper");
        assertThat(e.reason()).contains("accepted: redis, etcd");
    }

    @Test
    void theEtcdBackendWithoutEndpointsFailsNamingTheEndpointsProperty() {
        InvalidIdAllocatorPropertyException e = fails(etcd(Map.of()));

        assertThat(e.property()).isEqualTo("idallocator.etcd.endpoints");
        assertThat(e.action()).contains("http://etcd-0:2379");
    }

    @Test
    void anEndpointThatIsNotAnHttpUrlFailsNamingItsIndex() {
        InvalidIdAllocatorPropertyException e =
                fails(etcd(Map.of("idallocator.etcd.endpoints", "http://etcd-0:2379,etcd-1")));

        assertThat(e.property()).isEqualTo("idallocator.etcd.endpoints[1]");
        assertThat(e.value()).isEqualTo("etcd-1");
    }

    @Test
    void httpsEndpointsPassWithOrWithoutAnSslBundle() {
        Map<String, String> https = Map.of("idallocator.etcd.endpoints", "https://etcd-0:2379,https://etcd-1:2379");
        Map<String, String> withBundle = new HashMap<>(https);
        withBundle.put("idallocator.etcd.ssl.bundle", "etcd");

        assertThat(bindAndCheck(etcd(https)).etcd().ssl().bundle()).isNull();
        assertThat(bindAndCheck(etcd(withBundle)).etcd().ssl().bundle()).isEqualTo("etcd");
    }

    @Test
    void endpointsOfMixedSchemesFailNamingTheFirstThatDiffers() {
        InvalidIdAllocatorPropertyException e = fails(etcd(
                Map.of("idallocator.etcd.endpoints", "https://etcd-0:2379,https://etcd-1:2379,http://etcd-2:2379")));

        assertThat(e.property()).isEqualTo("idallocator.etcd.endpoints[2]");
        assertThat(e.value()).isEqualTo("http://etcd-2:2379");
        assertThat(e.reason()).contains("not http", "endpoints[0]");
    }

    @Test
    void anSslBundleWithHttpEndpointsFailsNamingTheBundleProperty() {
        InvalidIdAllocatorPropertyException e = fails(etcd(
                Map.of("idallocator.etcd.endpoints", "http://etcd-0:2379", "idallocator.etcd.ssl.bundle", "etcd")));

        assertThat(e.property()).isEqualTo("idallocator.etcd.ssl.bundle");
        assertThat(e.value()).isEqualTo("etcd");
        assertThat(e.reason()).contains("https endpoints only");
    }

    @Test
    void aBlankSslBundleFails() {
        InvalidIdAllocatorPropertyException e = fails(
                etcd(Map.of("idallocator.etcd.endpoints", "https://etcd-0:2379", "idallocator.etcd.ssl.bundle", " ")));

        assertThat(e.property()).isEqualTo("idallocator.etcd.ssl.bundle");
    }

    @Test
    void aUserWithoutPasswordFails() {
        InvalidIdAllocatorPropertyException e =
                fails(etcd(Map.of("idallocator.etcd.endpoints", "http://etcd-0:2379", "idallocator.etcd.user", "app")));

        assertThat(e.property()).isEqualTo("idallocator.etcd.password");
        assertThat(e.reason()).contains("idallocator.etcd.user");
    }

    @Test
    void aTimeoutOutOfRangeFails() {
        InvalidIdAllocatorPropertyException e = fails(
                etcd(Map.of("idallocator.etcd.endpoints", "http://etcd-0:2379", "idallocator.etcd.timeout", "0")));

        assertThat(e.property()).isEqualTo("idallocator.etcd.timeout");
    }

    @Test
    void aBlankNamespaceFails() {
        InvalidIdAllocatorPropertyException e = fails(
                etcd(Map.of("idallocator.etcd.endpoints", "http://etcd-0:2379", "idallocator.etcd.namespace", " ")));

        assertThat(e.property()).isEqualTo("idallocator.etcd.namespace");
    }

    @Test
    void replicaAcksWithTheEtcdBackendFailBecauseTheyAreRedisOnly() {
        InvalidIdAllocatorPropertyException e = fails(etcd(
                Map.of("idallocator.etcd.endpoints", "http://etcd-0:2379", "idallocator.snowflake.replica-acks", "1")));

        assertThat(e.property()).isEqualTo("idallocator.snowflake.replica-acks");
        assertThat(e.reason()).contains("Redis backend only");
    }

    @Test
    void theEtcdSettingsAreNotCheckedWithTheRedisBackend() {
        assertThat(bindAndCheck(Map.of(
                                "idallocator.snowflake.enabled", "true",
                                "idallocator.etcd.endpoints", "not a url"))
                        .snowflake()
                        .backend())
                .isEqualTo("redis");
    }

    private static Map<String, String> etcd(Map<String, String> more) {
        Map<String, String> properties = new HashMap<>(more);
        properties.put("idallocator.snowflake.enabled", "true");
        properties.put("idallocator.snowflake.backend", "etcd");
        return properties;
    }

    private static InvalidIdAllocatorPropertyException fails(Map<String, String> properties) {
        InvalidIdAllocatorPropertyException e =
                catchThrowableOfType(InvalidIdAllocatorPropertyException.class, () -> bindAndCheck(properties));
        assertThat(e).as("start-up check of %s", properties).isNotNull();
        return e;
    }

    private static IdAllocatorProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate(IdAllocatorProperties.PREFIX, IdAllocatorProperties.class);
    }

    private static IdAllocatorProperties bindAndCheck(Map<String, String> properties) {
        return CheckedProperties.check(bind(properties));
    }
}
