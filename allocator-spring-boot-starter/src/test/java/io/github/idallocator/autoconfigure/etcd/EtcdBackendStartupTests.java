package io.github.idallocator.autoconfigure.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.autoconfigure.FailureAnalyses;
import io.github.idallocator.autoconfigure.InvalidIdAllocatorPropertyException;
import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.etcd.EtcdWorkerIdStore;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Start-up of the etcd backend when it cannot work: no etcd needed, these fail before any etcd call. */
@WithRedisServer
class EtcdBackendStartupTests {

    private final ApplicationContextRunner runner;

    EtcdBackendStartupTests(RedisServerProcess redis) {
        this.runner = TestContexts.withRedis(redis, EtcdWorkerIdAutoConfiguration.class)
                .withPropertyValues("idallocator.snowflake.enabled=true", "idallocator.snowflake.backend=etcd");
    }

    @Test
    void withoutTheEtcdModuleStartUpFailsNamingTheDependencyToAdd() {
        runner.withClassLoader(new FilteredClassLoader(EtcdWorkerIdStore.class))
                .withPropertyValues("idallocator.etcd.endpoints=http://127.0.0.1:2379")
                .run(context -> {
                    assertThat(context).hasFailed();
                    InvalidIdAllocatorPropertyException e = rootCause(context.getStartupFailure());
                    assertThat(e.property()).isEqualTo("idallocator.snowflake.backend");
                    assertThat(e.value()).isEqualTo("etcd");
                    assertThat(e.action()).contains("io.github.idallocator:allocator-etcd");
                    FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getAction()).contains("io.github.idallocator:allocator-etcd");
                });
    }

    @Test
    void withoutEndpointsStartUpFailsNamingTheEndpointsProperty() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context.getStartupFailure()).property()).isEqualTo("idallocator.etcd.endpoints");
            FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription())
                    .contains("Configuration property 'idallocator.etcd.endpoints' is missing");
        });
    }

    @Test
    void httpAndHttpsEndpointsTogetherFailStartUpNamingTheOddOne() {
        runner.withPropertyValues("idallocator.etcd.endpoints=http://127.0.0.1:2379,https://127.0.0.1:2380")
                .run(context -> {
                    assertThat(context).hasFailed();
                    InvalidIdAllocatorPropertyException e = rootCause(context.getStartupFailure());
                    assertThat(e.property()).isEqualTo("idallocator.etcd.endpoints[1]");
                    assertThat(e.value()).isEqualTo("https://127.0.0.1:2380");
                    FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("idallocator.etcd.endpoints[1]");
                });
    }

    @Test
    void anUnknownBackendFailsStartUpNamingTheAcceptedValues() {
        runner.withPropertyValues("idallocator.snowflake.backend=consul").run(context -> {
            assertThat(context).hasFailed();
            InvalidIdAllocatorPropertyException e = rootCause(context.getStartupFailure());
            assertThat(e.property()).isEqualTo("idallocator.snowflake.backend");
            assertThat(e.value()).isEqualTo("consul");
            assertThat(e.reason()).contains("redis, etcd");
        });
    }

    private static InvalidIdAllocatorPropertyException rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidIdAllocatorPropertyException)) {
            cause = cause.getCause();
        }
        assertThat(cause)
                .as("InvalidIdAllocatorPropertyException in %s", failure)
                .isNotNull();
        return (InvalidIdAllocatorPropertyException) cause;
    }
}
