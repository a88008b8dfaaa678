package io.github.idallocator.pool;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a pool's soft bindings ({@link ResourcePool#bindings}).
 *
 * @param bindings the page, in no particular order (expired ones left out)
 * @param nextCursor the cursor of the next page; null after the last page
 */
public record BindingPage(List<Binding> bindings, @Nullable String nextCursor) {

    /** Copies the list. */
    public BindingPage {
        bindings = List.copyOf(bindings);
    }
}
