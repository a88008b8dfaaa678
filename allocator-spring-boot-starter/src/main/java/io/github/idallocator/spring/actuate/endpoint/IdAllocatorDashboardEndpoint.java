package io.github.idallocator.spring.actuate.endpoint;

import java.util.Map;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.util.MimeType;

/**
 * The {@code idallocatorui} web endpoint: a read-only dashboard page that shows what {@code /actuator/idallocator}
 * returns (allocators with an occupancy picture and their leases, Snowflake worker ids, sequences, locks and pools),
 * refreshed every 2 seconds while the page is visible. It lives under actuator, so it has the management port, base
 * path, exposure and security of {@code /actuator/**}, and it is reachable only once listed in {@code
 * management.endpoints.web.exposure.include} (with {@code idallocator}, whose data it reads).
 *
 * <ul>
 *   <li>{@code GET /actuator/idallocatorui}: the page;
 *   <li>{@code GET /actuator/idallocatorui/{file}}: its script {@code dashboard.js} or style sheet {@code
 *       dashboard.css}; any other name is {@code 404}.
 * </ul>
 *
 * <p>The three files come from the starter's class path: nothing is loaded from elsewhere, so the page works offline
 * and under a {@code Content-Security-Policy} of {@code default-src 'self'}. It only reads: it makes no write call.
 */
@WebEndpoint(id = "idallocatorui", defaultAccess = Access.READ_ONLY)
public class IdAllocatorDashboardEndpoint {

    private static final String LOCATION = "io/github/idallocator/dashboard/";

    private static final MimeType HTML = MimeType.valueOf("text/html;charset=UTF-8");

    /** The files besides the page that are served, and their types: nothing else on the class path is reachable. */
    static final Map<String, MimeType> ASSETS = Map.of(
            "dashboard.js", MimeType.valueOf("text/javascript;charset=UTF-8"),
            "dashboard.css", MimeType.valueOf("text/css;charset=UTF-8"));

    /** The page. */
    @ReadOperation(produces = "text/html;charset=UTF-8")
    public WebEndpointResponse<Resource> page() {
        return new WebEndpointResponse<>(
                new ClassPathResource(LOCATION + "index.html"), WebEndpointResponse.STATUS_OK, HTML);
    }

    /**
     * One of the page's files; {@code 404} for any other name.
     *
     * @param file {@code dashboard.js} or {@code dashboard.css}
     * @return the file with its content type
     */
    @ReadOperation(produces = {"text/javascript;charset=UTF-8", "text/css;charset=UTF-8", "*/*"})
    public WebEndpointResponse<Resource> asset(@Selector String file) {
        MimeType type = ASSETS.get(file);
        if (type == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return new WebEndpointResponse<>(new ClassPathResource(LOCATION + file), WebEndpointResponse.STATUS_OK, type);
    }
}
