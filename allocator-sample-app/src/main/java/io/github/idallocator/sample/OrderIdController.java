package io.github.idallocator.sample;

import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.range.LeasePage;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Order numbers from the primary allocator ({@code idallocator.primary: orders}), injected without qualifier.
 *
 * <pre>
 * POST   /ids                  allocate one id          (?ttl=PT30S, default: the allocator's default-ttl)
 * POST   /ids/range?count=10   allocate 10 contiguous ids as one lease
 * GET    /ids                  list leases, one page    (?cursor=0&amp;size=100)
 * GET    /ids/{id}             the lease that holds id
 * PUT    /ids/{id}/ttl?ttl=PT10M  extend the lease that starts at id
 * DELETE /ids/{id}             free the lease that starts at id
 * </pre>
 */
@RestController
@RequestMapping("/ids")
class OrderIdController {

    private final IdAllocator orders;

    OrderIdController(IdAllocator orders) {
        this.orders = orders;
    }

    @PostMapping
    ResponseEntity<LeaseView> allocate(@RequestParam(required = false) @Nullable Duration ttl) {
        LeaseView lease = LeaseView.of(ttl == null ? orders.allocate() : orders.allocate(ttl));
        return ResponseEntity.created(URI.create("/ids/" + lease.firstId())).body(lease);
    }

    @PostMapping("/range")
    ResponseEntity<LeaseView> allocateRange(
            @RequestParam int count, @RequestParam(required = false) @Nullable Duration ttl) {
        LeaseView lease = LeaseView.of(ttl == null ? orders.allocateRange(count) : orders.allocateRange(count, ttl));
        return ResponseEntity.created(URI.create("/ids/" + lease.firstId())).body(lease);
    }

    @GetMapping
    LeasesView list(
            @RequestParam(defaultValue = LeasePage.START) String cursor, @RequestParam(defaultValue = "100") int size) {
        LeasePage page = orders.allocatedIds(cursor, size);
        return new LeasesView(page.leases().stream().map(LeaseView::of).toList(), page.nextCursor());
    }

    @GetMapping("/{id}")
    ResponseEntity<LeaseView> get(@PathVariable long id) {
        return ResponseEntity.of(orders.leaseOf(id).map(LeaseView::of));
    }

    @PutMapping("/{id}/ttl")
    LeaseView extend(@PathVariable long id, @RequestParam Duration ttl) {
        return LeaseView.of(orders.extendTtl(id, ttl));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> free(@PathVariable long id) {
        return orders.free(id)
                ? ResponseEntity.noContent().build()
                : ResponseEntity.notFound().build();
    }

    /**
     * One page of leases.
     *
     * @param leases the leases
     * @param nextCursor pass it as {@code cursor} for the next page; {@code "0"} after the last page
     */
    record LeasesView(List<LeaseView> leases, String nextCursor) {}
}
