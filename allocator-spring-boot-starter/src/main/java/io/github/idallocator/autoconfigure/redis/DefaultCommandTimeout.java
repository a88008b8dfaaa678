package io.github.idallocator.autoconfigure.redis;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;

/**
 * Gives the Lettuce client a command timeout of its own when the application set none, and says so in the log.
 */
final class DefaultCommandTimeout implements LettuceClientConfigurationBuilderCustomizer {

    /** Spring Boot's property of the command timeout. */
    static final String PROPERTY = "spring.data.redis.timeout";

    private static final Logger log = LoggerFactory.getLogger(DefaultCommandTimeout.class);

    private final Duration timeout;
    private final boolean setByApplication;

    DefaultCommandTimeout(Duration timeout, boolean setByApplication) {
        this.timeout = timeout;
        this.setByApplication = setByApplication;
    }

    @Override
    public void customize(LettuceClientConfigurationBuilder builder) {
        if (setByApplication || timeout.isZero()) {
            return;
        }
        builder.commandTimeout(timeout);
        log.info(
                "{} is not set: Redis commands time out after {} ms (idallocator.default-command-timeout), not "
                        + "Lettuce's 60 s; set {} to choose another timeout",
                PROPERTY,
                timeout.toMillis(),
                PROPERTY);
    }
}
