package io.github.idallocator.range;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.internal.KeyNames;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Instance ids: unique per process and stable for its life. Host name and pid alone collide in containers (every pod
 * is pid 1, host names are reused), so a random suffix is added.
 */
public final class InstanceIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private InstanceIds() {}

    /**
     * Checks an instance id: 1 to 200 letters, digits, '.', '_', ':', '@', '/' or '-' (the lease encoding and the key
     * scheme have no room for others).
     *
     * @return {@code instanceId}
     * @throws InvalidArgumentException for the setting {@code instanceId}
     */
    public static String require(@Nullable String instanceId) {
        IdAllocatorConfig.requireMatch(
                "instanceId",
                instanceId,
                KeyNames.INSTANCE_ID,
                "instance id '" + instanceId + "' is invalid: it must be "
                        + IdAllocatorConfig.lengthAndCharacters(KeyNames.INSTANCE_ID)
                        + ", as braces, spaces and '|' would break the Redis key scheme or the lease encoding",
                "use only the characters " + IdAllocatorConfig.characters(KeyNames.INSTANCE_ID)
                        + ", such as orders-service-1");
        return instanceId;
    }

    /** {@code <host name>-<pid>-<8 random hex digits>}, with characters outside the allowed set replaced by '-'. */
    public static String generate() {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        String raw = hostName() + "-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().formatHex(suffix);
        String id = raw.replaceAll(
                "[^" + IdAllocatorConfig.characters(KeyNames.INSTANCE_ID).substring(1), "-");
        return id.length() <= 200 ? id : id.substring(id.length() - 200);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }
}
