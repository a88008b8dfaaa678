package io.github.idallocator.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.idallocator.InvalidArgumentException;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every pool setting is checked when the configuration is built, with a message naming the setting and a fix. */
class PoolConfigTest {

    private static PoolConfig build(UnaryOperator<PoolConfig.Builder> custom) {
        return custom.apply(PoolConfig.builder("proxies")).build();
    }

    private static void rejects(String setting, UnaryOperator<PoolConfig.Builder> custom) {
        assertThatThrownBy(() -> build(custom))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(setting)
                .hasMessageContaining("pool 'proxies'")
                .satisfies(e ->
                        assertThat(((InvalidArgumentException) e).setting()).isEqualTo(setting));
    }

    @Test
    void theDefaultsAreAnExclusivePoolWithThirtySecondLeases() {
        PoolConfig config = build(b -> b);

        assertThat(config.exclusive()).isTrue();
        assertThat(config.maxHolders()).isEqualTo(1);
        assertThat(config.leaseTime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.autoRenew()).isTrue();
        assertThat(config.bindingTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(config.unhealthyThreshold()).isEqualTo(3);
        assertThat(config.keyPrefix()).isEqualTo("idalloc");
    }

    @Test
    void sharedModeTakesACapOfHolders() {
        assertThat(build(b -> b.shared(5)).maxHolders()).isEqualTo(5);
        rejects("maxHolders", b -> b.shared(0));
        rejects("maxHolders", b -> b.shared(PoolConfig.MAX_HOLDERS + 1));
    }

    @Test
    void leaseTimeIsThirtyMillisecondsToOneDay() {
        rejects("leaseTime", b -> b.leaseTime(Duration.ofMillis(29)));
        rejects("leaseTime", b -> b.leaseTime(Duration.ofDays(2)));
        assertThat(build(b -> b.leaseTime(Duration.ofMillis(30))).leaseTime()).isEqualTo(Duration.ofMillis(30));
    }

    @Test
    void everyDurationIsBounded() {
        rejects("bindingTtl", b -> b.bindingTtl(Duration.ZERO));
        rejects("waitPollBound", b -> b.waitPollBound(Duration.ofMinutes(2)));
        rejects("unhealthyWindow", b -> b.unhealthy(3, Duration.ofMillis(10)));
        rejects("maintenanceInterval", b -> b.maintenanceInterval(Duration.ofMillis(10)));
        rejects("healthCheckTimeout", b -> b.healthCheckTimeout(Duration.ZERO));
        rejects("unhealthyThreshold", b -> b.unhealthy(0, Duration.ofMinutes(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "a{b}", "a/b:c"})
    void aPoolNameHoldsOnlyKeySafeCharacters(String name) {
        assertThatThrownBy(() -> PoolConfig.builder(name).build()).isInstanceOf(InvalidArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "a|b", "{tag}", "tab\tname"})
    void resourceNamesHoldNoBraceBarWhitespaceOrControlCharacter(String name) {
        assertThatThrownBy(() -> build(b -> b).requireMemberName("resource", name))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("resource");
    }

    @Test
    void aResourceNameMayHoldSlashesColonsAndDots() {
        assertThat(build(b -> b).requireMemberName("resource", "http://10.0.0.1:3128/eu.west"))
                .isEqualTo("http://10.0.0.1:3128/eu.west");
    }
}
