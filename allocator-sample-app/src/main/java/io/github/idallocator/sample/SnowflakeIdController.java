package io.github.idallocator.sample;

import io.github.idallocator.InvalidArgumentException;
import io.github.idallocator.snowflake.SnowflakeId;
import io.github.idallocator.snowflake.SnowflakeIdGenerator;
import java.util.Arrays;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Snowflake ids from the starter's generator ({@code idallocator.snowflake.enabled: true}), injected like any bean.
 *
 * <pre>
 * GET /snowflake/ids?count=5   5 ids (1 to 1000, default 1), each with its parts: timestamp, worker id, sequence
 * </pre>
 *
 * <p>Ids are 64-bit numbers above 2^53: JavaScript clients should read them as strings.
 */
@RestController
class SnowflakeIdController {

    static final int MAX_COUNT = 1000;

    private final SnowflakeIdGenerator ids;

    SnowflakeIdController(SnowflakeIdGenerator ids) {
        this.ids = ids;
    }

    @GetMapping("/snowflake/ids")
    SnowflakeIdsView ids(@RequestParam(defaultValue = "1") int count) {
        if (count < 1 || count > MAX_COUNT) {
            throw new InvalidArgumentException("count " + count + " must be 1 to " + MAX_COUNT);
        }
        long[] issued = count == 1 ? new long[] {ids.nextId()} : ids.nextIds(count);
        return new SnowflakeIdsView(
                ids.workerId(), Arrays.stream(issued).mapToObj(ids::decompose).toList());
    }

    /**
     * Ids just issued.
     *
     * @param workerId this instance's worker id
     * @param ids the ids with their parts, in increasing order
     */
    record SnowflakeIdsView(long workerId, List<SnowflakeId> ids) {}
}
