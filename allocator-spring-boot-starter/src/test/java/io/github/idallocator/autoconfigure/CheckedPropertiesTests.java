package io.github.idallocator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mock.env.MockEnvironment;

/** The bean registrars share one binding of {@code idallocator.*} per application context. */
class CheckedPropertiesTests {

    private final MockEnvironment environment =
            new MockEnvironment().withProperty("idallocator.allocators.orders.max-id", "99");

    @Test
    void theSecondRegistrarOfAContextGetsTheBindingOfTheFirst() {
        DefaultListableBeanFactory context = new DefaultListableBeanFactory();

        IdAllocatorProperties first = CheckedProperties.of(environment, context);
        environment.setProperty("idallocator.allocators.orders.max-id", "199");
        IdAllocatorProperties second = CheckedProperties.of(environment, context);

        assertThat(second).isSameAs(first);
        assertThat(second.allocators().get("orders").maxId()).isEqualTo(99);
    }

    @Test
    void anotherContextBindsItsOwn() {
        IdAllocatorProperties first = CheckedProperties.of(environment, new DefaultListableBeanFactory());
        environment.setProperty("idallocator.allocators.orders.max-id", "199");

        IdAllocatorProperties other = CheckedProperties.of(environment, new DefaultListableBeanFactory());

        assertThat(other).isNotSameAs(first);
        assertThat(other.allocators().get("orders").maxId()).isEqualTo(199);
    }

    @Test
    void aWrongValueFailsEveryRegistrarNotOnlyTheFirst() {
        DefaultListableBeanFactory context = new DefaultListableBeanFactory();
        environment.setProperty("idallocator.allocators.orders.min-id", "-1");

        for (int registrar = 1; registrar <= 2; registrar++) {
            assertThatExceptionOfType(InvalidIdAllocatorPropertyException.class)
                    .isThrownBy(() -> CheckedProperties.of(environment, context))
                    .satisfies(e -> assertThat(e.property()).isEqualTo("idallocator.allocators.orders.min-id"));
        }
    }
}
