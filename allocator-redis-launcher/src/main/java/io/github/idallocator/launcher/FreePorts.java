package io.github.idallocator.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds TCP ports on 127.0.0.1 that nothing listens on at the moment of asking. */
final class FreePorts {

    /** Redis Cluster listens for its bus on the client port plus this offset. */
    static final int CLUSTER_BUS_PORT_OFFSET = 10000;

    private static final int MAX_PORT = 65535;
    private static final int ATTEMPTS = 100;

    private FreePorts() {}

    /** A free port; with {@code withClusterBusPort}, one whose cluster bus port is free as well. */
    static int find(boolean withClusterBusPort) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = anyFreePort();
            if (!withClusterBusPort || isUsableClusterBusPort(port + CLUSTER_BUS_PORT_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("Found no free port with a free cluster bus port after " + ATTEMPTS + " tries");
    }

    private static int anyFreePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port", e);
        }
    }

    private static boolean isUsableClusterBusPort(int port) {
        if (port > MAX_PORT) {
            return false;
        }
        try {
            new ServerSocket(port, 1, loopback()).close();
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    private static InetAddress loopback() throws IOException {
        return InetAddress.getByName(RedisServerProcess.HOST);
    }
}
