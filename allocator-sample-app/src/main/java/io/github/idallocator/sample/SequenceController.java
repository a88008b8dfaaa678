package io.github.idallocator.sample;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.sequence.IdBlock;
import io.github.idallocator.sequence.SequenceAllocator;
import io.github.idallocator.spring.SequenceAllocators;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Ids of the sequences under {@code idallocator.sequences}, looked up by name in the {@link SequenceAllocators}
 * registry. (A single sequence could be injected as {@code SequenceAllocator}, or by {@code @Qualifier("invoices")}.)
 *
 * <pre>
 * POST /sequences/invoices/next?count=10   10 contiguous ids (1 to 10000, default 1); 404 for an unknown sequence
 * </pre>
 */
@RestController
class SequenceController {

    static final int MAX_COUNT = 10_000;

    private final SequenceAllocators sequences;

    SequenceController(SequenceAllocators sequences) {
        this.sequences = sequences;
    }

    @PostMapping("/sequences/{name}/next")
    ResponseEntity<BlockView> next(@PathVariable String name, @RequestParam(defaultValue = "1") int count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new InvalidArgumentException("count " + count + " must be 1 to " + MAX_COUNT);
        }
        return ResponseEntity.of(sequences.find(name).map(sequence -> BlockView.of(sequence, count)));
    }

    /**
     * Contiguous ids of one sequence.
     *
     * @param sequence the sequence's name
     * @param first the first id
     * @param last the last id (the same as first for one id)
     * @param count the number of ids
     */
    record BlockView(String sequence, long first, long last, long count) {

        static BlockView of(SequenceAllocator sequence, int count) {
            IdBlock block = count == 1 ? single(sequence.next()) : sequence.next(count);
            return new BlockView(sequence.name(), block.start(), block.end(), block.count());
        }

        private static IdBlock single(long id) {
            return new IdBlock(id, id);
        }
    }
}
