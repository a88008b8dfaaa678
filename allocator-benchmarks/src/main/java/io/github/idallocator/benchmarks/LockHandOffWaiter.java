package io.github.idallocator.benchmarks;

import io.github.idallocator.test.WorkerControl;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.Lock;

/**
 * The waiter JVM of {@link LockHandOffReport}: opens one implementation's client ({@link LockPeer}, arguments: peer,
 * host, port), warms it up, prints {@code READY}, then on each command {@code wait <lock> <sample>} locks {@code <lock>}
 * on its one waiter thread: it prints {@code WAITING <sample> <nanoTime>} right before {@code lock()}, {@code ACQUIRED
 * <sample> <nanoTime>} right after it returned, unlocks, and prints {@code UNLOCKED <sample> <nanoTime>}. {@link System#nanoTime()}
 * is the system-wide monotonic clock on Linux, so the holder compares it with its own.
 */
public final class LockHandOffWaiter {

    private LockHandOffWaiter() {}

    /** Arguments: {@link LockPeer} name, redis-server host, port. */
    public static void main(String[] args) {
        LockPeer peer = LockPeer.valueOf(args[0]);
        try (LockPeer.Client client = peer.open(args[1], Integer.parseInt(args[2]))) {
            LockHandOffReport.warmUp(client, "warm-up-waiter");
            ExecutorService waiter = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "lock-hand-off-waiter");
                thread.setDaemon(true);
                return thread;
            });
            WorkerControl control = new WorkerControl();
            control.on("wait", words -> waiter.execute(() -> waitFor(control, client.lock(words[0]), words[1])));
            control.listen();
            control.ready(client.describe());
            control.awaitStop();
            waiter.shutdownNow();
        }
    }

    private static void waitFor(WorkerControl control, Lock lock, String sample) {
        try {
            control.print("WAITING " + sample + " " + System.nanoTime());
            lock.lock();
            long acquired = System.nanoTime();
            control.print("ACQUIRED " + sample + " " + acquired);
            lock.unlock();
            control.print("UNLOCKED " + sample + " " + System.nanoTime());
        } catch (RuntimeException e) {
            control.print("ERROR " + sample + " " + e);
        }
    }
}
