package io.github.idallocator.sample;

import io.github.idallocator.lock.LockLease;
import io.github.idallocator.lock.LockService;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A job that must not run on two instances at once, guarded by a lock of the starter's {@link LockService}
 * ({@code idallocator.locks}). The lock is taken without waiting: a run asked for while another holds it is refused.
 *
 * <pre>
 * POST /reports/{name}   runs report {name}: 200 with the fencing token it ran under; 409 while the lock
 *                        reports/{name} is held (here or on another instance); 400 for a name a lock cannot have
 * </pre>
 */
@RestController
class ReportController {

    private final LockService locks;

    ReportController(LockService locks) {
        this.locks = locks;
    }

    @PostMapping("/reports/{name}")
    ResponseEntity<?> run(@PathVariable String name) {
        Optional<LockLease> acquired = locks.tryAcquire(lockName(name));
        if (acquired.isEmpty()) {
            return ResponseEntity.of(ProblemDetail.forStatusAndDetail(
                            HttpStatus.CONFLICT, "report '" + name + "' is running elsewhere; try again later"))
                    .build();
        }
        try (LockLease lease = acquired.get()) {
            // The report's work goes here. Before each write it protects: check lease.isHeld(), and hand
            // lease.fencingToken() to the store written to, so that it can refuse a holder that paused past its lease.
            return ResponseEntity.ok(new ReportRun(name, lease.fencingToken(), lease.owner()));
        }
    }

    /** The lock of report {@code name}. */
    static String lockName(String name) {
        return "reports/" + name;
    }

    /**
     * A report run.
     *
     * @param report the report's name
     * @param fencingToken the fencing token of the lock it ran under: greater than that of every earlier run
     * @param owner the lock's owner id (this instance's id, a colon and a counter)
     */
    record ReportRun(String report, long fencingToken, String owner) {}
}
