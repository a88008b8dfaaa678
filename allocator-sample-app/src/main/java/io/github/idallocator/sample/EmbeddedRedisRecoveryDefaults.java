package io.github.idallocator.sample;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * When the sample starts its own Redis ({@link EmbeddedRedisFallback}), no other process has ever used that server, so
 * no holder of a lost lease can exist: the recovery periods (which make a first start wait until holders that may
 * still be alive have re-registered) are set to zero by default. Explicit settings still win, and nothing changes when
 * a Redis address is configured.
 */
class EmbeddedRedisRecoveryDefaults implements EnvironmentPostProcessor {

    /** The name of the property source this adds (lowest precedence). */
    static final String SOURCE = "idallocator-embedded-redis-recovery-defaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        for (String property : EmbeddedRedisFallback.ADDRESS_PROPERTIES) {
            if (environment.containsProperty(property)) {
                return;
            }
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("idallocator.snowflake.recovery-period", "0s");
        Binder binder = Binder.get(environment);
        for (String group : new String[] {"allocators", "sequences"}) {
            binder.bind("idallocator." + group, Bindable.mapOf(String.class, Object.class))
                    .ifBound(named -> named.keySet()
                            .forEach(name ->
                                    defaults.put("idallocator." + group + "[" + name + "].recovery-period", "0s")));
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
    }
}
