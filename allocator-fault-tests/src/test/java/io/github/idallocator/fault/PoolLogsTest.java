package io.github.idallocator.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.test.FaultLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("no-redis")
class PoolLogsTest {

    @TempDir
    Path logs;

    private void write(String file, String... lines) throws IOException {
        Files.write(logs.resolve(file), List.of(lines));
    }

    @Test
    void holdsThatOverlapMayCarryTokensInEitherOrderButOneThatEndedBeforeASendMustHaveTheLowerToken()
            throws IOException {
        write(
                "events-a.log",
                "100 HOLD pool 0 20 1000",
                "101 MARK SENT pool 0 20 90",
                "400 END pool 0 20 released",
                "500 HOLD pool 1 30 1000",
                "501 MARK SENT pool 1 30 450",
                "600 END pool 1 30 released");
        write(
                "events-b.log",
                "150 HOLD pool 0 10 1000", // sent after a's token 20, with a lower token: fine while a holds
                "151 MARK SENT pool 0 10 95",
                "300 END pool 0 10 released",
                "700 HOLD pool 0 25 1000", // sent after a's token 30 ended: must be above 30
                "701 MARK SENT pool 0 25 650",
                "800 END pool 0 25 released");

        FaultLogs.Violations violations = PoolLogs.tokenOrderViolations(FaultLogs.read(logs), "pool");

        assertThat(violations.count()).isEqualTo(1);
        assertThat(violations.examples().get(0))
                .startsWith("token of b[token 25,")
                .contains("not above that of a[token 30,");
    }

    @Test
    void aRepeatedTokenAndAHoldWithoutItsSendTimeAreViolations() throws IOException {
        write("events-a.log", "100 HOLD pool 0 10 1000", "101 MARK SENT pool 0 10 90", "200 END pool 0 10 released");
        write("events-b.log", "150 HOLD pool 1 10 1000", "300 END pool 1 10 released");

        FaultLogs.Violations violations = PoolLogs.tokenOrderViolations(FaultLogs.read(logs), "pool");

        assertThat(violations.count()).isEqualTo(2);
        assertThat(violations.examples())
                .anySatisfy(e -> assertThat(e).startsWith("token 10 handed out twice"))
                .anySatisfy(e -> assertThat(e).startsWith("no SENT mark for b[token 10,"));
    }
}
