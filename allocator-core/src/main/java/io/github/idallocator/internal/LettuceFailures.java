package io.github.idallocator.internal;

import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.Set;

/**
 * The failures of Lettuce that mean an unavailable Redis but that Spring Data Redis reports as a plain {@code
 * RedisSystemException} (its translation of any {@link RedisException}). Loaded only when Lettuce is on the class path.
 */
final class LettuceFailures {

    /**
     * Why Lettuce's endpoint refused or cancelled a command ({@code io.lettuce.core.protocol.DefaultEndpoint}): sent
     * while disconnected with {@code DisconnectedBehavior.REJECT_COMMANDS}; in flight when the connection dropped (in
     * that mode); in flight when the connection was closed.
     */
    private static final Set<String> ENDPOINT_REFUSALS =
            Set.of("Currently not connected. Commands are rejected.", "Connection disconnected", "Connection closed");

    private LettuceFailures() {}

    /**
     * Whether a command failed because its connection was down or went down: a {@link RedisException} (the type
     * itself, not a subtype such as a command's error reply) with one of the endpoint's refusals, or caused by an
     * {@link IOException} (the connection was reset while the command was in flight).
     */
    static boolean isDisconnected(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass() == RedisException.class
                    && (ENDPOINT_REFUSALS.contains(t.getMessage()) || t.getCause() instanceof IOException)) {
                return true;
            }
        }
        return false;
    }
}
