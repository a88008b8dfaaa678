package io.github.idallocator.range;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Instance ids: unique per process and stable for its life. Host name and pid alone collide in containers (every pod
 * is pid 1, host names are reused), so a random suffix is added.
 */
public final class InstanceIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private InstanceIds() {}

    /** {@code <host name>-<pid>-<8 random hex digits>}, with characters outside the allowed set replaced by '-'. */
    public static String generate() {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        String raw = hostName() + "-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().formatHex(suffix);
        String id = raw.replaceAll("[^A-Za-z0-9._:@/-]", "-");
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
