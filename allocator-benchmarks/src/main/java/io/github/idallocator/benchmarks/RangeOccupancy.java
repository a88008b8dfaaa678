package io.github.idallocator.benchmarks;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.Lease;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How full a range is before the latency is measured, and where its free ids are. The same layout is built in the
 * library's allocator (through its public API, with leases that never expire) and in the raw baseline's bitmap.
 */
public enum RangeOccupancy {

    /** 2^10 ids, all free. */
    SIZE_2P10_EMPTY(1L << 10) {
        @Override
        boolean leased(long offset) {
            return false;
        }

        @Override
        void fill(IdAllocator allocator) {}
    },

    /**
     * 2^24 ids, 99% leased, the free 1% spread evenly over the whole range: leases of 99 ids {@code [100k, 100k + 98]}
     * (one {@code reserveRange} each, 167,772 of them), so every 100th id is free, plus the 17 ids at the end that do
     * not fill a last run of 99. Every 4096-id block keeps about 41 free ids.
     */
    SIZE_2P24_99PCT_SCATTERED(1L << 24) {
        @Override
        boolean leased(long offset) {
            long start = offset - offset % SCATTER_STRIDE;
            return offset % SCATTER_STRIDE < SCATTER_RUN && start + SCATTER_RUN <= size();
        }

        @Override
        void fill(IdAllocator allocator) {
            long runs = size() / SCATTER_STRIDE + (size() % SCATTER_STRIDE >= SCATTER_RUN ? 1 : 0);
            inParallel(runs, run -> {
                long first = run * SCATTER_STRIDE;
                if (allocator
                        .reserveRange(first, first + SCATTER_RUN - 1, IdAllocator.NO_EXPIRY)
                        .isEmpty()) {
                    throw new IllegalStateException(
                            "could not reserve [" + first + ", " + (first + SCATTER_RUN - 1) + "] of " + allocator);
                }
            });
        }
    },

    /**
     * 2^24 ids, the lowest 99% ({@code 2^24 - 2^24 / 100} ids) leased as one range lease from one {@code
     * allocateRange}, the free 1% all at the end: every allocate has to get past the 4055 full 4096-id blocks.
     */
    SIZE_2P24_99PCT_FREE_AT_END(1L << 24) {
        @Override
        boolean leased(long offset) {
            return offset < leasedPrefix();
        }

        @Override
        void fill(IdAllocator allocator) {
            Lease lease = allocator.allocateRange(Math.toIntExact(leasedPrefix()), IdAllocator.NO_EXPIRY);
            if (lease.firstId() != 0) {
                throw new IllegalStateException("the fill lease " + lease + " does not start at 0");
            }
        }

        private long leasedPrefix() {
            return size() - size() / 100;
        }
    };

    private static final long SCATTER_STRIDE = 100;
    private static final long SCATTER_RUN = 99;
    private static final int FILL_THREADS = 16;

    private final long size;

    RangeOccupancy(long size) {
        this.size = size;
    }

    /** The number of ids in the range. */
    public long size() {
        return size;
    }

    /** Whether the layout leases the id at {@code offset} (from the range's first id). */
    abstract boolean leased(long offset);

    /** Leases this layout's ids in an empty allocator of {@link #size()} ids starting at 0. */
    abstract void fill(IdAllocator allocator);

    /** The layout as a Redis bitmap value: bit {@code i} (most significant bit first, as SETBIT counts) is 1 when id i is leased. */
    byte[] bitmap() {
        byte[] bytes = new byte[Math.toIntExact((size + 7) / 8)];
        for (long offset = 0; offset < size; offset++) {
            if (leased(offset)) {
                bytes[(int) (offset >>> 3)] |= (byte) (0x80 >>> (offset & 7));
            }
        }
        return bytes;
    }

    /** The number of ids the layout leases. */
    long leasedCount() {
        long count = 0;
        for (long offset = 0; offset < size; offset++) {
            if (leased(offset)) {
                count++;
            }
        }
        return count;
    }

    /** Runs {@code task} for 0 .. count - 1 on several threads, so the shared Lettuce connection pipelines the calls. */
    private static void inParallel(long count, IndexTask task) {
        ExecutorService pool = Executors.newFixedThreadPool(FILL_THREADS);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < FILL_THREADS; t++) {
                long part = t;
                parts.add(pool.submit(() -> {
                    for (long i = part; i < count; i += FILL_THREADS) {
                        task.run(i);
                    }
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while filling the range", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("filling the range failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** A task over an index. */
    @FunctionalInterface
    private interface IndexTask {
        void run(long index);
    }
}
