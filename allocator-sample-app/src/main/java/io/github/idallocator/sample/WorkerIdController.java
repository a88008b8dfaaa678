package io.github.idallocator.sample;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /worker}: this instance's worker id lease. */
@RestController
class WorkerIdController {

    private final WorkerIdentity identity;

    WorkerIdController(WorkerIdentity identity) {
        this.identity = identity;
    }

    @GetMapping("/worker")
    LeaseView worker() {
        return LeaseView.of(identity.lease());
    }
}
