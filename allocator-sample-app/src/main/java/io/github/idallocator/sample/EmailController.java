package io.github.idallocator.sample;

import io.github.idallocator.sample.EmailSender.Email;
import io.github.idallocator.sample.EmailSender.Sent;
import io.github.idallocator.spring.tasks.TaskQueues;
import io.github.idallocator.tasks.Submission;
import io.github.idallocator.tasks.TaskFailedException;
import io.github.idallocator.tasks.TaskNotFoundException;
import io.github.idallocator.tasks.TaskTimeoutException;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * E-mails sent through the task queue {@code emails}: a request submits the e-mail and returns at once; a worker of any
 * instance ({@link EmailSender}) sends it; its result is read by id.
 *
 * <pre>
 * POST /emails         {"to": ..., "subject": ...}: 202 with the task's id
 * GET  /emails/{id}    200 with what the send did (waits up to 5 s); 202 while it is not sent yet; 422 when it
 *                      failed for good; 404 for an unknown id
 * </pre>
 */
@RestController
class EmailController {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final TaskQueues tasks;

    EmailController(TaskQueues tasks) {
        this.tasks = tasks;
    }

    @PostMapping("/emails")
    ResponseEntity<Submission> send(@RequestBody Email email) {
        return ResponseEntity.accepted().body(tasks.submit("emails", email));
    }

    @GetMapping("/emails/{id}")
    ResponseEntity<?> sent(@PathVariable String id) {
        try {
            return ResponseEntity.ok(tasks.result("emails", id, Sent.class, WAIT));
        } catch (TaskTimeoutException e) {
            return ResponseEntity.accepted().build();
        } catch (TaskFailedException e) {
            return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage()))
                    .build();
        } catch (TaskNotFoundException e) {
            return ResponseEntity.notFound().build();
        }
    }
}
