package io.github.idallocator.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultLogsTest {

    @TempDir
    Path logs;

    /** An exception type of some project, with the retry flag the harness reads. */
    static class ProjectException extends RuntimeException {
        private final boolean retryable;

        ProjectException(boolean retryable) {
            super("project failure\nwith two lines");
            this.retryable = retryable;
        }

        public boolean isRetryable() {
            return retryable;
        }
    }

    static final class RetryableProjectException extends ProjectException {
        RetryableProjectException() {
            super(true);
        }
    }

    private void write(String file, String... lines) throws IOException {
        Files.write(logs.resolve(file), List.of(lines));
    }

    @Test
    void idsOfAllProcessesAreCheckedForDuplicates() {
        try (EventLog a = EventLog.open("a", logs);
                EventLog b = EventLog.open("b", logs)) {
            EventLog.IdSink first = a.idSink();
            EventLog.IdSink second = a.idSink();
            for (long id = 0; id < 1000; id++) {
                (id % 2 == 0 ? first : second).add(id);
            }
            b.idSink().addAll(new long[] {5, 999, 1000});
        }

        FaultLogs merged = FaultLogs.read(logs);

        assertThat(merged.idCounts()).containsEntry("a", 1000).containsEntry("b", 3);
        FaultLogs.Violations duplicates = merged.duplicateIds();
        assertThat(duplicates.count()).isEqualTo(2);
        assertThat(duplicates.examples()).hasSize(2);
        assertThat(duplicates.examples().get(0)).startsWith("id 5 issued by a@").contains(", b@");
    }

    @Test
    void aTruncatedIdFileIsReadUpToItsLastWholePair() throws IOException {
        try (EventLog a = EventLog.open("a", logs)) {
            a.idSink().addAll(new long[] {1, 2, 3});
        }
        Path file = logs.resolve("ids-a-0.bin");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));

        assertThat(FaultLogs.read(logs).ids("a")).containsExactly(1, 2);
    }

    @Test
    void holdsEndAtTheirEndEventOrTheirDeadline() throws IOException {
        write(
                "events-a.log",
                "100 HOLD r 1 10 200",
                "150 RENEW r 1 10 400", // extended to 400
                "300 END r 1 10 freed", // ends at 300
                "500 HOLD r 2 11 600") // never ended: until its deadline, 600
        ;
        write(
                "events-b.log",
                "300 HOLD r 1 12 900", // starts when a's ends: no overlap
                "590 HOLD r 2 13 900", // a's hold of 2 runs until 600: overlap
                "610 MARK note something happened");

        FaultLogs merged = FaultLogs.read(logs);

        assertThat(merged.holds("r"))
                .extracting(h -> h.process() + h.id() + ":" + h.startNanos() + "-" + h.endNanos())
                .containsExactly("a1:100-300", "b1:300-900", "a2:500-600", "b2:590-900");
        assertThat(merged.overlappingHolds("r").count()).isEqualTo(1);
        assertThat(merged.overlappingHolds("r").examples().get(0)).contains("overlap by 0.0 ms");
        assertThat(merged.tokenViolations("r").isEmpty()).isTrue();
        assertThat(merged.marks("note"))
                .singleElement()
                .extracting(e -> e.rest(1))
                .isEqualTo("something happened");
    }

    @Test
    void aHoldPastItsDeadlineEndsThere() throws IOException {
        write("events-a.log", "100 HOLD r 1 10 200", "700 END r 1 10 lost");
        write("events-b.log", "250 HOLD r 1 11 900");

        FaultLogs merged = FaultLogs.read(logs);

        assertThat(merged.overlappingHolds("r").isEmpty()).isTrue();
        assertThat(merged.holds("r").get(0).endReason()).isEqualTo("deadline");
    }

    @Test
    void aProcessHandedAnIdItAlreadyHoldsHoldsItTwice() throws IOException {
        write(
                "events-a.log",
                "100 HOLD r 1 10 500",
                "200 HOLD r 1 11 600",
                "300 END r 1 11 freed",
                "400 END r 1 10 freed");

        FaultLogs merged = FaultLogs.read(logs);

        assertThat(merged.holds("r"))
                .extracting(h -> h.token() + ":" + h.startNanos() + "-" + h.endNanos())
                .containsExactly("10:100-400", "11:200-300");
        assertThat(merged.overlappingHolds("r").count()).isEqualTo(1);
    }

    @Test
    void holdsBeyondASharedCapAreCountedPerId() throws IOException {
        write(
                "events-a.log",
                "100 HOLD p 1 10 1000",
                "110 HOLD p 1 11 1000",
                "300 END p 1 11 freed", // a third hold may begin now
                "300 HOLD p 2 13 1000",
                "310 HOLD p 2 14 1000",
                "320 HOLD p 2 15 1000"); // a third holder of id 2
        write(
                "events-b.log",
                "120 HOLD p 1 12 1000", // a third holder of id 1
                "300 HOLD p 1 16 1000", // starts when a's token 11 ends: two others hold id 1 besides
                "400 HOLD p 3 17 1000");

        FaultLogs merged = FaultLogs.read(logs);

        FaultLogs.Violations beyondTwo = merged.holdsBeyond("p", 2);
        assertThat(beyondTwo.count()).isEqualTo(3);
        assertThat(beyondTwo.examples())
                .anySatisfy(e -> assertThat(e).startsWith("1: b[token 12,").contains("began while 2 others"))
                .anySatisfy(e -> assertThat(e).startsWith("1: b[token 16,"))
                .anySatisfy(e -> assertThat(e).startsWith("2: a[token 15,"));
        assertThat(merged.holdsBeyond("p", 3).count()).isEqualTo(0);
        assertThat(merged.holdsBeyond("p", 1).count())
                .isEqualTo(merged.overlappingHolds("p").count())
                .isEqualTo(5);
    }

    @Test
    void tokensMustIncreasePerIdAndNeverRepeat() throws IOException {
        write(
                "events-a.log",
                "100 HOLD r 1 10 200",
                "300 HOLD r 1 9 400", // goes back for id 1
                "500 HOLD r 2 12 600",
                "700 RENEW r 2 13 800"); // a renewal under a new token starts a new hold
        write("events-b.log", "900 HOLD r 3 12 950"); // token 12 again, for another id

        FaultLogs.Violations violations = FaultLogs.read(logs).tokenViolations("r");

        assertThat(violations.count()).isEqualTo(2);
        assertThat(violations.examples().get(0)).contains("is not above");
        assertThat(violations.examples().get(1)).contains("token 12 handed out twice");
    }

    @Test
    void onlyExpectedExceptionTypesWithTheExpectedRetryFlagPass() {
        try (EventLog a = EventLog.open("a", logs)) {
            a.error(new ProjectException(false)); // allowed
            a.error(new RetryableProjectException()); // allowed type, but expected not retryable
            a.error(new ProjectException(true)); // retryable where it should not be
            a.error(new IllegalStateException("untyped")); // not a project exception
        }
        ErrorPolicy policy = ErrorPolicy.subtypesOf(ProjectException.class.getName())
                .allow(ProjectException.class, false)
                .allow(RetryableProjectException.class, false);

        FaultLogs merged = FaultLogs.read(logs);
        FaultLogs.Violations violations = merged.errorViolations(policy);

        assertThat(violations.count()).isEqualTo(3);
        assertThat(violations.examples().get(0)).contains("isRetryable() is true, expected false");
        assertThat(violations.examples().get(2)).contains("is not a " + ProjectException.class.getName());
        assertThat(violations.examples().get(2)).contains("untyped");
        assertThat(merged.errorCounts()).containsEntry("FaultLogsTest$ProjectException (retryable false)", 1L);
        assertThat(merged.events("ERROR").get(0).rest(3)).isEqualTo("project failure with two lines");
    }

    @Test
    void subtypesOfAnAllowedTypeCanBeAllowedAtOnce() {
        try (EventLog a = EventLog.open("a", logs)) {
            a.error(new RetryableProjectException());
            a.error(new ProjectException(false));
        }
        ErrorPolicy policy = ErrorPolicy.subtypesOf(ProjectException.class.getName())
                .allowSubtypes(ProjectException.class.getName(), true);

        FaultLogs.Violations violations = FaultLogs.read(logs).errorViolations(policy);

        assertThat(violations.count()).isEqualTo(1);
        assertThat(violations.examples().get(0)).contains("FaultLogsTest$ProjectException.isRetryable() is false");
    }
}
