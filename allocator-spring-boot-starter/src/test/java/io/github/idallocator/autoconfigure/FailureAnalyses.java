package io.github.idallocator.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The starter's failure analyzers, which are package-private, for the tests of the feature packages. */
public final class FailureAnalyses {

    private FailureAnalyses() {}

    /** What {@code IdAllocatorStartupFailureAnalyzer} reports for {@code failure}. */
    public static @Nullable FailureAnalysis ofStartupFailure(Throwable failure) {
        return new IdAllocatorStartupFailureAnalyzer().analyze(failure);
    }

    /** What {@code PoolStartupFailureAnalyzer} reports for {@code failure}. */
    public static @Nullable FailureAnalysis ofPoolStartupFailure(Throwable failure) {
        return new PoolStartupFailureAnalyzer().analyze(failure);
    }

    /** What {@code InvalidIdAllocatorPropertyFailureAnalyzer} reports for {@code failure}, without an environment. */
    public static @Nullable FailureAnalysis ofInvalidProperty(Throwable failure) {
        return new InvalidIdAllocatorPropertyFailureAnalyzer(null).analyze(failure);
    }

    /** What {@code NoPrimaryIdAllocatorFailureAnalyzer} reports for {@code failure}. */
    public static @Nullable FailureAnalysis ofNoPrimary(Throwable failure) {
        return new NoPrimaryIdAllocatorFailureAnalyzer().analyze(failure);
    }
}
