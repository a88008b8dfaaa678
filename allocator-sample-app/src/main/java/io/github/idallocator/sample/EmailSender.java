package io.github.idallocator.sample;

import io.github.idallocator.spring.tasks.TaskListener;
import io.github.idallocator.tasks.NonRetryableTaskException;
import io.github.idallocator.tasks.TaskContext;
import org.springframework.stereotype.Component;

/**
 * Sends the e-mails of the task queue {@code emails} ({@code idallocator.tasks.emails}), on any instance, four at a time
 * per instance. A send that throws is retried (three attempts); an address without '@' can never be sent, so its task
 * dies at once.
 */
@Component
class EmailSender {

    @TaskListener("emails")
    Sent send(Email email, TaskContext context) throws NonRetryableTaskException {
        if (!email.to().contains("@")) {
            throw new NonRetryableTaskException("'" + email.to() + "' is not an e-mail address");
        }
        // The SMTP call goes here. Hand context.fencingToken() to a store that records sends, so that a worker that
        // paused past its visibility timeout (the e-mail then goes to another worker) cannot record it twice.
        return new Sent(email.to(), context.attempt(), context.fencingToken());
    }

    /**
     * An e-mail to send.
     *
     * @param to the address
     * @param subject the subject
     */
    record Email(String to, String subject) {}

    /**
     * What a send did.
     *
     * @param to the address
     * @param attempt which attempt sent it
     * @param fencingToken the token of the claim it was sent under
     */
    record Sent(String to, int attempt, long fencingToken) {}
}
