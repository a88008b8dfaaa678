package io.github.idallocator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Fewer replicas than configured ({@code replicaAcks}) confirmed a write that grants something (a lease or its
 * extension) within the acknowledgement timeout, or Redis {@code WAIT} itself failed. The write happened on the
 * primary but may be lost by a failover, so the grant was not handed to the caller: idallocator releases what it can
 * (a new lease) or leaves it to expire (an extension). Retrying later can help ({@link #isRetryable()} is true); when
 * it lasts, check the replicas ({@code INFO replication}).
 */
public class ReplicaAckException extends RedisUnavailableException {

    private static final long serialVersionUID = 1L;

    private final int required;
    private final int acknowledged;
    private final transient List<Object> reply;

    /**
     * Creates the exception.
     *
     * @param required how many replicas had to confirm the write
     * @param acknowledged how many did ({@code 0} when {@code WAIT} failed; the cause says why)
     * @param reply the script's reply, which describes what was granted
     * @param cause the failure of {@code WAIT}, or {@code null} when it answered with too few replicas
     */
    public ReplicaAckException(
            String message, int required, int acknowledged, List<Object> reply, @Nullable Throwable cause) {
        super(message);
        if (cause != null) {
            initCause(cause);
        }
        this.required = required;
        this.acknowledged = acknowledged;
        this.reply = Collections.unmodifiableList(new ArrayList<>(reply));
    }

    /** How many replicas had to confirm the write. */
    public int required() {
        return required;
    }

    /** How many replicas confirmed it in time ({@code 0} when {@code WAIT} itself failed). */
    public int acknowledged() {
        return acknowledged;
    }

    /**
     * The reply of the script whose write was not confirmed, as the script returned it (integers as {@link Long},
     * strings as {@link String}): it describes what was granted, so that it can be released. Empty after
     * deserialization.
     */
    public List<Object> reply() {
        return reply == null ? List.of() : reply;
    }
}
