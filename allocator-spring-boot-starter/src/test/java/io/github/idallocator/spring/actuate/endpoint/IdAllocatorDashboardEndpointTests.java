package io.github.idallocator.spring.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.autoconfigure.TestContexts;
import io.github.idallocator.autoconfigure.endpoint.IdAllocatorEndpointAutoConfiguration;
import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.test.WithRedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.Resource;

/** The dashboard page's endpoint: its files, the whitelist, and when it exists. */
@WithRedisServer
class IdAllocatorDashboardEndpointTests {

    private final IdAllocatorDashboardEndpoint endpoint = new IdAllocatorDashboardEndpoint();
    private final ApplicationContextRunner runner;

    IdAllocatorDashboardEndpointTests(RedisServerProcess redis) {
        this.runner = TestContexts.withRedis(redis, IdAllocatorEndpointAutoConfiguration.class)
                .withPropertyValues("idallocator.allocators.orders.max-id=9");
    }

    @Test
    void thePageIsHtmlAndEveryFileItLoadsIsServedWithItsType() throws IOException {
        WebEndpointResponse<Resource> page = endpoint.page();
        String html = page.getBody().getContentAsString(StandardCharsets.UTF_8);

        assertThat(page.getContentType().toString()).isEqualTo("text/html;charset=UTF-8");
        List<String> loaded = new ArrayList<>();
        Matcher reference =
                Pattern.compile("(?:src|href)=\"idallocatorui/([^\"]+)\"").matcher(html);
        while (reference.find()) {
            loaded.add(reference.group(1));
        }
        assertThat(loaded).containsExactlyInAnyOrder("dashboard.js", "dashboard.css");
        for (String file : loaded) {
            WebEndpointResponse<Resource> asset = endpoint.asset(file);
            assertThat(asset.getStatus()).isEqualTo(200);
            assertThat(asset.getBody().exists()).isTrue();
        }
        assertThat(endpoint.asset("dashboard.js").getContentType().toString())
                .isEqualTo("text/javascript;charset=UTF-8");
        assertThat(endpoint.asset("dashboard.css").getContentType().toString()).isEqualTo("text/css;charset=UTF-8");
    }

    @Test
    void nothingOutsideTheWhitelistIsServed() {
        for (String file : List.of("index.html", "../application.yml", "dashboard.js.map", "", "DASHBOARD.JS")) {
            assertThat(endpoint.asset(file).getStatus()).as(file).isEqualTo(404);
        }
    }

    @Test
    void thePageLoadsNothingFromElsewhereAndHasNoInlineScriptOrStyle() throws IOException {
        String html = endpoint.page().getBody().getContentAsString(StandardCharsets.UTF_8);
        String script = endpoint.asset("dashboard.js").getBody().getContentAsString(StandardCharsets.UTF_8);

        assertThat(html).doesNotContain("http://", "https://", "//cdn", "style=", "onclick=", "<style");
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find())
                .isFalse();
        assertThat(script).doesNotContain("http://", "https://", "eval(", "innerHTML", "method: 'POST'");
    }

    @Test
    void theIdPassesSpringBootsEndpointIdRules() {
        assertThat(EndpointId.of("idallocatorui").toString()).isEqualTo("idallocatorui");
        assertThat("idallocatorui").matches("[a-z][a-z0-9]*");
    }

    @Test
    void isAbsentUntilExposedOverHttp() {
        runner.run(context -> assertThat(context).doesNotHaveBean(IdAllocatorDashboardEndpoint.class));
        runner.withPropertyValues("management.endpoints.jmx.exposure.include=*", "spring.jmx.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(IdAllocatorDashboardEndpoint.class));
        runner.withPropertyValues("management.endpoints.web.exposure.include=idallocatorui")
                .run(context -> assertThat(context).hasSingleBean(IdAllocatorDashboardEndpoint.class));
    }
}
