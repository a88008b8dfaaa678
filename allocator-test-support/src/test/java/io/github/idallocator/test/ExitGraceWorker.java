package io.github.idallocator.test;

import io.github.idallocator.launcher.RedisServerProcess;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A worker main for {@link RedisServerExitGraceTest}: starts a redis-server with the exit grace given in milliseconds and,
 * in a shutdown hook of its own, sends one last command half a second into the JVM exit, as an application releasing
 * its leases would, then closes the server unless the second argument is {@code never-close}.
 */
public final class ExitGraceWorker {

    private ExitGraceWorker() {}

    public static void main(String[] args) {
        Duration grace = Duration.ofMillis(Long.parseLong(args[0]));
        boolean closes = !(args.length > 1 && args[1].equals("never-close"));
        RedisServerProcess server =
                RedisServerProcess.builder().exitGrace(grace).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> lastCommandThenClose(server, closes), "owner-shutdown"));
        WorkerControl control = new WorkerControl().listen();
        control.ready("redis-pid=" + server.pid());
        control.awaitStop();
        System.exit(0);
    }

    private static void lastCommandThenClose(RedisServerProcess server, boolean closes) {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            System.out.println("LAST-COMMAND " + server.command("PING"));
        } catch (UncheckedIOException e) {
            System.out.println("LAST-COMMAND FAILED " + e.getMessage());
        }
        if (closes) {
            server.close();
            System.out.println("CLOSED");
        }
    }
}
