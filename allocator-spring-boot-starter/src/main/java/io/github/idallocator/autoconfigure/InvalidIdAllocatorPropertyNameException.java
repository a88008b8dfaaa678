package io.github.idallocator.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Properties written under {@code idallocator.*} whose names bind to nothing or to something other than what was
 * written: a key idallocator does not have (a misspelling such as {@code default-tll}), or an allocator, sequence or
 * pool name that Spring's binding splits or strips. Thrown at start-up, before any bean is created; {@link
 * InvalidIdAllocatorPropertyNameFailureAnalyzer} reports every such name with where it was written and the fix.
 */
public final class InvalidIdAllocatorPropertyNameException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The wrong names, in the order they were found. */
    private final List<WrongName> names;

    /**
     * Creates the exception.
     *
     * @param names the wrong names; at least one
     */
    public InvalidIdAllocatorPropertyNameException(List<WrongName> names) {
        super(names.stream().map(WrongName::toString).collect(Collectors.joining("; ")));
        this.names = List.copyOf(names);
    }

    /** The wrong names, in the order they were found. */
    public List<WrongName> names() {
        return names;
    }

    /**
     * One property name that cannot work as written.
     *
     * @param property the name as written, such as {@code idallocator.default-tll}
     * @param origin where it was written, such as {@code class path resource [application.yml] - 3:16}; {@code null}
     *     when not known
     * @param problem what is wrong with it
     * @param fix what to write instead
     */
    public record WrongName(String property, @Nullable String origin, String problem, String fix) {

        @Override
        public String toString() {
            return "'" + property + "'" + (origin == null ? "" : " (originating from '" + origin + "')") + ": "
                    + problem + ". " + fix;
        }
    }
}
