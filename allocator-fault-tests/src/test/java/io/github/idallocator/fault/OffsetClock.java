package io.github.idallocator.fault;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A wall clock the test steps over the control channel ({@code clock-offset <ms>}): the system clock plus an offset.
 * {@link #pacedMillis()} parks {@code pace} before it reads the clock: a generator that reads it spends most of its
 * time there, which paces id generation on a busy machine and is where a SIGSTOP most often finds its threads.
 */
final class OffsetClock {

    private final long paceNanos;
    private volatile long offsetMillis;

    OffsetClock(Duration pace) {
        this.paceNanos = pace.toNanos();
    }

    void offset(long millis) {
        offsetMillis = millis;
    }

    long millis() {
        return System.currentTimeMillis() + offsetMillis;
    }

    long pacedMillis() {
        if (paceNanos > 0) {
            LockSupport.parkNanos(paceNanos);
        }
        return millis();
    }
}
