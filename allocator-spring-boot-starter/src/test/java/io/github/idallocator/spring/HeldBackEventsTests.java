package io.github.idallocator.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HeldBackEventsTests {

    private final List<Object> published = new CopyOnWriteArrayList<>();
    private final HeldBackEvents events = new HeldBackEvents(published::add);

    @Test
    void holdsEventsBackUntilReleased() {
        events.publishEvent("first");
        events.publishEvent("second");

        assertThat(published).isEmpty();
    }

    @Test
    void releasePublishesTheHeldBackEventsInOrder() {
        events.publishEvent("first");
        events.publishEvent("second");

        events.release();

        assertThat(published).containsExactly("first", "second");
    }

    @Test
    void publishesAtOnceOnceReleased() {
        events.release();

        events.publishEvent("later");

        assertThat(published).containsExactly("later");
    }

    @Test
    void anEventPublishedByAListenerDuringTheReleaseFollowsTheHeldBackOnes() {
        List<Object> received = new CopyOnWriteArrayList<>();
        HeldBackEvents[] self = new HeldBackEvents[1];
        self[0] = new HeldBackEvents(event -> {
            received.add(event);
            if (event.equals("first")) {
                self[0].publishEvent("from listener");
            }
        });
        self[0].publishEvent("first");
        self[0].publishEvent("second");

        self[0].release();

        assertThat(received).containsExactly("first", "second", "from listener");
    }

    @Test
    void aFailingListenerDoesNotStopTheOtherHeldBackEvents() {
        HeldBackEvents failingOnFirst = new HeldBackEvents(event -> {
            if (event.equals("first")) {
                throw new IllegalStateException("listener failed");
            }
            published.add(event);
        });
        failingOnFirst.publishEvent("first");
        failingOnFirst.publishEvent("second");

        failingOnFirst.release();

        assertThat(published).containsExactly("second");
    }

    @Test
    void releasingAgainPublishesNothingTwice() {
        events.publishEvent("first");
        events.release();

        events.release();

        assertThat(published).containsExactly("first");
    }
}
