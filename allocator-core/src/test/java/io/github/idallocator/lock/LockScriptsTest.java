package io.github.idallocator.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.idallocator.KeyConflictException;
import io.github.idallocator.ReleaseOutcome;
import io.github.idallocator.launcher.RedisServerProcess;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The lock scripts one call at a time, as a client whose reply was lost would repeat them: a retried acquire finds its
 * own grant, a retried release learns RELEASED and leaves the next holder alone, and a lock key of another type is
 * refused before anything is written.
 */
class LockScriptsTest {

    private static final long LEASE_MILLIS = 10_000;

    /**
     * A server of this class's own, not the run's shared one: the test counts commands in INFO commandstats, which a
     * test class of the same JVM that left a background thread behind would change.
     */
    private static RedisServerProcess own;

    private RedisServerProcess server;
    private LettuceConnectionFactory factory;
    private LockConfig config;
    private LockScripts scripts;

    @BeforeAll
    static void startOwnServer() {
        own = RedisServerProcess.start();
    }

    @AfterAll
    static void stopOwnServer() {
        own.close();
    }

    @BeforeEach
    void connect() {
        this.server = own;
        this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        factory.afterPropertiesSet();
        factory.start();
        this.config = LockConfig.builder("scripts-" + UUID.randomUUID()).build();
        this.scripts = new LockScripts(new StringRedisTemplate(factory), config);
    }

    @AfterEach
    void disconnect() {
        factory.destroy();
    }

    private String key(String name) {
        return LockScripts.key(config, name);
    }

    @Test
    void theLockKeyCarriesTheNamespaceAndNameAsItsHashTag() {
        assertThat(key("orders/42")).isEqualTo("idalloc:{" + config.namespace() + ":orders/42}:lock");
    }

    @Test
    void aRetriedAcquireOfTheSameOwnerGetsItsGrantBackWithTheSameToken() {
        LockScripts.Grant first = scripts.acquire("orders", "me:1", LEASE_MILLIS, false);

        LockScripts.Grant retried = scripts.acquire("orders", "me:1", LEASE_MILLIS, false);

        assertThat(retried).isEqualTo(first);
        assertThat(first.granted()).isTrue();
    }

    @Test
    void aBusyLockAnswersTheTimeLeftOfTheHoldersLease() {
        scripts.acquire("orders", "me:1", LEASE_MILLIS, false);

        LockScripts.Grant refused = scripts.acquire("orders", "you:1", LEASE_MILLIS, false);

        assertThat(refused.granted()).isFalse();
        assertThat(refused.holderMillisLeft()).isBetween(LEASE_MILLIS - 2_000, LEASE_MILLIS);
    }

    @Test
    void fencingTokensAreRedisServerTimeInMicroseconds() {
        long before = redisMicros();
        long token = scripts.acquire("orders", "me:1", LEASE_MILLIS, false).token();
        long after = redisMicros();

        assertThat(token).isBetween(before, after);
    }

    @Test
    void aTokenAboveTheServerClockIsFollowedByItsSuccessor() {
        long future = redisMicros() + 3_600_000_000L;
        server.command("HSET", key("orders"), "token", Long.toString(future));
        server.command("PEXPIRE", key("orders"), "60000");

        long token = scripts.acquire("orders", "me:1", LEASE_MILLIS, false).token();

        assertThat(token).isEqualTo(future + 1);
    }

    @Test
    void aRetriedReleaseAfterALostReplyLearnsReleasedAndLeavesTheNextHolderAlone() {
        long token = scripts.acquire("orders", "me:1", LEASE_MILLIS, false).token();
        scripts.release("orders", "me:1", Long.toString(token));
        LockScripts.Grant next = scripts.acquire("orders", "you:1", LEASE_MILLIS, false);

        LockScripts.Release retried = scripts.release("orders", "me:1", Long.toString(token));

        assertThat(retried.outcome()).isEqualTo(ReleaseOutcome.RELEASED);
        assertThat(server.command("HGET", key("orders"), "owner")).hasToString("you:1");
        assertThat(scripts.renew("orders", "you:1", next.token(), LEASE_MILLIS).renewed())
                .isTrue();
    }

    @Test
    void aReleaseWithoutTokenEndsTheGrantOfAnAcquireWhoseReplyWasLost() {
        scripts.acquire("orders", "me:1", LEASE_MILLIS, false);

        LockScripts.Release released = scripts.release("orders", "me:1", "");

        assertThat(released.outcome()).isEqualTo(ReleaseOutcome.RELEASED);
        assertThat(server.command("HGET", key("orders"), "owner")).isNull();
    }

    @Test
    void aRenewalAfterReleaseChangesNothing() {
        long token = scripts.acquire("orders", "me:1", LEASE_MILLIS, false).token();
        scripts.release("orders", "me:1", Long.toString(token));
        long ttlBefore = (Long) server.command("PTTL", key("orders"));

        LockScripts.Renewal renewal = scripts.renew("orders", "me:1", token, 3_600_000_000L);

        assertThat(renewal).isEqualTo(new LockScripts.Renewal(false, -1));
        assertThat((Long) server.command("PTTL", key("orders"))).isLessThanOrEqualTo(ttlBefore);
        assertThat(server.command("HGET", key("orders"), "owner")).isNull();
    }

    @Test
    void aRenewalWithAnOldTokenIsRefusedWithTheCurrentHoldersToken() {
        long old = scripts.acquire("orders", "me:1", LEASE_MILLIS, false).token();
        server.command("DEL", key("orders"));
        long current = scripts.acquire("orders", "you:1", LEASE_MILLIS, false).token();

        assertThat(scripts.renew("orders", "me:1", old, LEASE_MILLIS))
                .isEqualTo(new LockScripts.Renewal(false, current));
    }

    @Test
    void aReleaseKeepsTheTokenForTheRetentionWithoutAnOwner() {
        long token = scripts.acquire("orders", "me:1", LEASE_MILLIS, false).token();

        scripts.release("orders", "me:1", Long.toString(token));

        assertThat(server.command("HGET", key("orders"), "token")).hasToString(Long.toString(token));
        assertThat((Long) server.command("PTTL", key("orders")))
                .isBetween(
                        config.tokenRetention().toMillis() - 5_000,
                        config.tokenRetention().toMillis());
    }

    @Test
    void aLockKeyOfAnotherTypeIsRefusedAndLeftUntouched() {
        server.command("SET", key("orders"), "someone else's");

        assertThatThrownBy(() -> scripts.acquire("orders", "me:1", LEASE_MILLIS, false))
                .isInstanceOf(KeyConflictException.class);
        assertThat(server.command("GET", key("orders"))).hasToString("someone else's");
    }

    @Test
    void aReleasePublishesAWakeUpOnlyWhenAWaitingCallerWasRefused() {
        long quiet = scripts.acquire("orders", "me:1", LEASE_MILLIS, false).token();
        scripts.acquire("orders", "you:1", LEASE_MILLIS, false);
        long before = publishes();
        scripts.release("orders", "me:1", Long.toString(quiet));
        assertThat(publishes()).isEqualTo(before);

        long waitedFor = scripts.acquire("orders", "me:2", LEASE_MILLIS, false).token();
        scripts.acquire("orders", "you:2", LEASE_MILLIS, true);
        scripts.release("orders", "me:2", Long.toString(waitedFor));

        assertThat(publishes()).isEqualTo(before + 1);
        assertThat(server.command("HGET", key("orders"), "waiting")).isNull();
    }

    private long publishes() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_publish:calls=(\\d+)")
                .matcher(String.valueOf(server.command("INFO", "commandstats")));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private long redisMicros() {
        java.util.List<?> time = (java.util.List<?>) server.command("TIME");
        return Long.parseLong(time.get(0).toString()) * 1_000_000
                + Long.parseLong(time.get(1).toString());
    }
}
