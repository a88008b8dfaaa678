package io.github.idallocator.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class EmbeddedRedisRecoveryDefaultsTests {

    private final StandardEnvironment environment = new StandardEnvironment();

    private void configure(Map<String, Object> properties) {
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        ConfigurationPropertySources.attach(environment); // as in a Spring Boot application: names in any form
        new EmbeddedRedisRecoveryDefaults().postProcessEnvironment(environment, new SpringApplication());
    }

    @Test
    void withoutARedisAddressEveryRecoveryPeriodDefaultsToZero() {
        configure(Map.of(
                "idallocator.allocators.orders.min-id", "1",
                "idallocator.allocators.orders.max-id", "10",
                "idallocator.sequences.invoices.step", "100"));

        assertThat(environment.getProperty("idallocator.snowflake.recovery-period"))
                .isEqualTo("0s");
        assertThat(environment.getProperty("idallocator.allocators.orders.recovery-period"))
                .isEqualTo("0s");
        assertThat(environment.getProperty("idallocator.sequences.invoices.recovery-period"))
                .isEqualTo("0s");
    }

    @Test
    void anAllocatorNameWithADotGetsItsRecoveryPeriodUnderItsWholeName() {
        configure(Map.of("idallocator.allocators[order.ids].max-id", "10"));

        assertThat(environment.getProperty("idallocator.allocators[order.ids].recovery-period"))
                .isEqualTo("0s");
        assertThat(environment.getProperty("idallocator.allocators.order.ids.recovery-period"))
                .isNull();
    }

    @Test
    void anExplicitRecoveryPeriodStillWins() {
        configure(Map.of("idallocator.snowflake.recovery-period", "30s"));

        assertThat(environment.getProperty("idallocator.snowflake.recovery-period"))
                .isEqualTo("30s");
    }

    @Test
    void aConfiguredRedisAddressLeavesTheRecoveryPeriodsAlone() {
        configure(Map.of("spring.data.redis.host", "localhost"));

        assertThat(environment.getPropertySources().contains(EmbeddedRedisRecoveryDefaults.SOURCE))
                .isFalse();
        assertThat(environment.getProperty("idallocator.snowflake.recovery-period"))
                .isNull();
    }
}
