package io.github.idallocator.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.idallocator.launcher.RedisServerProcess;
import io.github.idallocator.range.IdAllocator;
import io.github.idallocator.sequence.SequenceAllocator;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The dashboard page in a real headless Chromium, against the sample application on a real Redis: the test asserts on
 * the DOM the page's script rendered ({@code --dump-dom} after a virtual-time budget), not on the HTML it was sent.
 * Runs only where Chromium is installed ({@code .ci/run} installs Debian's {@code chromium} when it can).
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTests {

    private static final Path TARGET = Path.of("target");

    private Path chromium;
    private RedisServerProcess redis;

    @TempDir
    Path profiles;

    @BeforeAll
    void findChromiumAndStartRedis() {
        Optional<Path> found = Chromium.find();
        assumeTrue(
                found.isPresent(),
                "Chromium not found (looked for $CHROMIUM, chromium, chromium-browser, google-chrome on PATH): "
                        + "install Debian's chromium package (apt-get install chromium) to run the dashboard tests");
        chromium = found.get();
        redis = RedisServerProcess.start();
    }

    @AfterAll
    void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void thePageRendersLeasesWorkerIdsSequencesAndPoolsAndMakesOnlyGetRequests() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            IdAllocator orders = app.getBean("ordersIdAllocator", IdAllocator.class);
            orders.allocate(3);
            IdAllocator workers = app.getBean("workersIdAllocator", IdAllocator.class);
            workers.allocate(3);
            workers.free(workers.allocate());
            app.getBean(SequenceAllocator.class).next();
            String page = "http://localhost:" + port(app) + "/actuator/idallocatorui";

            String dom = dumpDom(page);
            long refreshes = RecordingFilter.REQUESTS.stream()
                    .filter(request -> request.equals("GET /actuator/idallocator"))
                    .count();
            screenshot(page, TARGET.resolve("dashboard.png"));

            assertThat(attribute(dom, "canvas", "data-allocator", "workers", "data-leased-cells"))
                    .as("3 leased here and the worker id of WorkerIdentity")
                    .isEqualTo("4");
            assertThat(attribute(dom, "canvas", "data-allocator", "workers", "data-resting-cells"))
                    .isEqualTo("1");
            assertThat(attribute(dom, "canvas", "data-allocator", "orders", "data-precision"))
                    .isEqualTo("FULL_BLOCKS");
            assertThat(countOf(dom, "orders", "leased")).isEqualTo("3");
            assertThat(leaseRows(dom, "orders")).hasSize(3);
            assertThat(dom).contains("data-worker-id=\"0\"");
            assertThat(dom).contains("data-sequence=\"invoices\"");
            assertThat(dom).contains("data-resource=\"127.0.0.1:3128\"");
            assertThat(dom).doesNotContain("data-state=\"error\"");
            assertThat(Files.size(TARGET.resolve("dashboard.png"))).isPositive();
            assertThat(refreshes)
                    .as("one read at load and one every 2 s of the page's 6 s (virtual time)")
                    .isBetween(3L, 5L);
            assertThat(RecordingFilter.REQUESTS)
                    .anyMatch(request -> request.equals("GET /actuator/idallocator"))
                    .allMatch(request -> request.startsWith("GET "));
        }
    }

    @Test
    void thePageStopsReadingWhileItsTabIsHiddenAndResumesWhenShown() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            String dom = runChromium(
                    "--virtual-time-budget=15000", "--dump-dom", "http://localhost:" + port(app) + VisibilityPage.PATH);

            assertThat(attribute(dom, "div", "id", "result", "data-visible"))
                    .as("reads in the first 3 s, visible")
                    .isNotEqualTo("0");
            assertThat(attribute(dom, "div", "id", "result", "data-hidden"))
                    .as("reads in the 6 s hidden")
                    .isEqualTo("0");
            assertThat(attribute(dom, "div", "id", "result", "data-resumed"))
                    .as("reads in the 3 s after it was shown again")
                    .isNotEqualTo("0");
        }
    }

    @Test
    void thePageSaysItsDataIsStaleWhileAReadHangs() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            String dom = runChromium(
                    "--virtual-time-budget=12000", "--dump-dom", "http://localhost:" + port(app) + StalePage.PATH);

            assertThat(attribute(dom, "div", "id", "result", "data-before"))
                    .as("the banner while reads answered")
                    .isEqualTo("none");
            assertThat(attribute(dom, "div", "id", "banner", "data-state")).isEqualTo("stale");
            assertThat(text(dom, "div", "id", "banner")).contains("no answer since");
        }
    }

    @Test
    void thePageShowsAnErrorBannerWhileRedisIsDown() throws Exception {
        try (RedisServerProcess own = RedisServerProcess.start();
                ConfigurableApplicationContext app = start(own, "spring.data.redis.timeout=500ms")) {
            String page = "http://localhost:" + port(app) + "/actuator/idallocatorui";
            assertThat(dumpDom(page)).doesNotContain("data-state=\"error\"");

            own.kill();

            String dom = dumpDom(page);
            assertThat(dom).contains("data-state=\"error\"");
            assertThat(text(dom, "div", "id", "banner")).contains("Redis");
        }
    }

    @Test
    void thePageShowsAnErrorBannerWhenTheDataEndpointIsNotExposed() throws Exception {
        try (ConfigurableApplicationContext app =
                start(redis, "management.endpoints.web.exposure.include=health,idallocatorui")) {
            String dom = dumpDom("http://localhost:" + port(app) + "/actuator/idallocatorui");

            assertThat(dom).contains("data-state=\"error\"");
            assertThat(text(dom, "div", "id", "banner")).contains("HTTP 404");
        }
    }

    @Test
    void thePageWorksOnASeparateManagementPortAndBasePath() throws Exception {
        int management = freePort();
        try (ConfigurableApplicationContext app =
                start(redis, "management.server.port=" + management, "management.endpoints.web.base-path=/manage")) {
            app.getBean("ordersIdAllocator", IdAllocator.class).allocate(2);

            String dom = dumpDom("http://localhost:" + management + "/manage/idallocatorui");

            assertThat(countOf(dom, "orders", "leased")).isEqualTo("2");
            assertThat(dom).doesNotContain("data-state=\"error\"");
            assertThat(dom).contains("data-worker-id=\"");
        }
    }

    @Test
    void thePageIsNotReachableUntilExposed() throws Exception {
        try (ConfigurableApplicationContext app =
                start(redis, "management.endpoints.web.exposure.include=health,idallocator")) {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create("http://localhost:" + port(app) + "/actuator/idallocatorui"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(404);
        }
    }

    private ConfigurableApplicationContext start(String... properties) {
        return start(redis, properties);
    }

    private ConfigurableApplicationContext start(RedisServerProcess server, String... properties) {
        Map<String, String> all = new LinkedHashMap<>();
        Stream.concat(
                        Stream.of(
                                "server.port=0",
                                "spring.data.redis.host=" + server.host(),
                                "spring.data.redis.port=" + server.port(),
                                "idallocator.key-prefix=dashboard-"
                                        + UUID.randomUUID().toString().substring(0, 8),
                                "idallocator.snowflake.recovery-period=0",
                                "idallocator.sequences.invoices.recovery-period=0",
                                "idallocator.allocators.workers.reuse-delay=1m",
                                "idallocator.health.timeout=300ms",
                                "management.endpoints.web.exposure.include=health,idallocator,idallocatorui"),
                        Stream.of(properties))
                .forEach(property -> all.put(
                        property.substring(0, property.indexOf('=')), property.substring(property.indexOf('=') + 1)));
        RecordingFilter.REQUESTS.clear();
        return new SpringApplicationBuilder(
                        SampleApplication.class, RecordingFilter.class, VisibilityPage.class, StalePage.class)
                .run(all.entrySet().stream()
                        .map(property -> "--" + property.getKey() + "=" + property.getValue())
                        .toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port", "-1"));
    }

    private String dumpDom(String url) throws Exception {
        return runChromium("--virtual-time-budget=6000", "--dump-dom", url);
    }

    private void screenshot(String url, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        runChromium(
                "--virtual-time-budget=6000", "--window-size=1280,1800", "--screenshot=" + file.toAbsolutePath(), url);
    }

    private String runChromium(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(profiles, "profile")));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(profiles, "chromium", ".out");
        Process process = new ProcessBuilder(command)
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 60 s: " + command);
        }
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    private static String countOf(String dom, String allocator, String state) {
        int card = dom.indexOf("id=\"allocator-" + allocator + "\"");
        assertThat(card).as("the card of %s", allocator).isNotNegative();
        Matcher count = Pattern.compile("data-count=\"" + state + "\">([^<]*)<").matcher(dom.substring(card));
        assertThat(count.find()).as("the %s count of %s", state, allocator).isTrue();
        return count.group(1);
    }

    private static List<String> leaseRows(String dom, String allocator) {
        int start = dom.indexOf("data-leases=\"" + allocator + "\"");
        assertThat(start).as("the leases table of %s", allocator).isNotNegative();
        int end = dom.indexOf("</table>", start);
        Matcher rows = Pattern.compile("<tr class=\"lease\"[^>]*>").matcher(dom.substring(start, end));
        List<String> found = new ArrayList<>();
        while (rows.find()) {
            found.add(rows.group());
        }
        return found;
    }

    private static String attribute(String dom, String tag, String key, String value, String attribute) {
        Matcher element = Pattern.compile("<" + tag + "\\b[^>]*\\b" + key + "=\"" + Pattern.quote(value) + "\"[^>]*>")
                .matcher(dom);
        assertThat(element.find())
                .as("<%s %s=\"%s\"> in the rendered page", tag, key, value)
                .isTrue();
        Matcher found = Pattern.compile("\\b" + attribute + "=\"([^\"]*)\"").matcher(element.group());
        return found.find() ? found.group(1) : null;
    }

    private static String text(String dom, String tag, String key, String value) {
        Matcher element = Pattern.compile(
                        "<" + tag + "\\b[^>]*\\b" + key + "=\"" + Pattern.quote(value) + "\"[^>]*>(.*?)</" + tag + ">",
                        Pattern.DOTALL)
                .matcher(dom);
        assertThat(element.find())
                .as("<%s %s=\"%s\"> in the rendered page", tag, key, value)
                .isTrue();
        return element.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Records every request to the actuator, and puts the page under a strict Content-Security-Policy. */
    @Configuration(proxyBeanMethods = false)
    static class RecordingFilter {

        static final Queue<String> REQUESTS = new ConcurrentLinkedQueue<>();

        @Bean
        FilterRegistrationBean<Filter> dashboardTestFilter() {
            return new FilterRegistrationBean<>((request, response, chain) -> {
                HttpServletRequest http = (HttpServletRequest) request;
                if (http.getRequestURI().startsWith("/actuator/")) {
                    REQUESTS.add(http.getMethod() + " " + http.getRequestURI());
                }
                if (!http.getRequestURI().endsWith("-test.html")) {
                    ((HttpServletResponse) response).setHeader("Content-Security-Policy", "default-src 'self'");
                }
                chain.doFilter(request, response);
            });
        }
    }

    /**
     * A page of the test's own that loads the dashboard's script with the page's visibility under its control: visible
     * for 3 s, hidden for 6 s, visible for 3 s, counting the script's reads ({@code fetch} calls) in each part.
     */
    @Configuration(proxyBeanMethods = false)
    static class VisibilityPage {

        static final String PATH = "/visibility-test.html";

        private static final String SCRIPT =
                """
                  let hidden = false;
                  let calls = 0;
                  Object.defineProperty(Document.prototype, 'visibilityState', {
                    configurable: true, get() { return hidden ? 'hidden' : 'visible'; } });
                  const fetchForReal = window.fetch;
                  window.fetch = function (url, options) { calls++; return fetchForReal(url, options); };
                  function show(value) { hidden = !value; document.dispatchEvent(new Event('visibilitychange')); }
                  window.addEventListener('load', () => {
                    setTimeout(() => {
                      const visible = calls;
                      show(false);
                      setTimeout(() => {
                        const whileHidden = calls - visible;
                        show(true);
                        setTimeout(() => {
                          const result = document.getElementById('result');
                          result.setAttribute('data-visible', visible);
                          result.setAttribute('data-hidden', whileHidden);
                          result.setAttribute('data-resumed', calls - visible - whileHidden);
                        }, 3000);
                      }, 6000);
                    }, 3000);
                  });
                """;

        @Bean
        ServletRegistrationBean<HttpServlet> visibilityTestPage() {
            return new ServletRegistrationBean<>(new TestPageServlet(SCRIPT), PATH);
        }
    }

    /**
     * A page of the test's own that loads the dashboard's script and, after 3 s, makes every new read hang (a fetch
     * that never answers, as with a server that stopped responding), then records the banner's state.
     */
    @Configuration(proxyBeanMethods = false)
    static class StalePage {

        static final String PATH = "/actuator/stale-test.html";

        private static final String SCRIPT =
                """
                  let hang = false;
                  const fetchForReal = window.fetch;
                  window.fetch = function (url, options) {
                    return hang ? new Promise(() => {}) : fetchForReal(url, options);
                  };
                  window.addEventListener('load', () => {
                    setTimeout(() => {
                      document.getElementById('result').setAttribute('data-before',
                        document.getElementById('banner').getAttribute('data-state') || 'none');
                      hang = true;
                    }, 3000);
                  });
                """;

        @Bean
        ServletRegistrationBean<HttpServlet> staleTestPage() {
            return new ServletRegistrationBean<>(new TestPageServlet(SCRIPT), PATH);
        }
    }

    /**
     * Serves a page of the test's own: the dashboard page's elements, the dashboard's script, and before it a script
     * of the test that controls what the page sees; the test's script writes its findings into {@code <div
     * id="result">}.
     */
    static final class TestPageServlet extends HttpServlet {

        private final String html;

        TestPageServlet(String script) {
            this.html =
                    """
                    <!DOCTYPE html>
                    <html><head><meta charset="utf-8">
                    <script>
                    %s</script>
                    <script src="/actuator/idallocatorui/dashboard.js" defer></script>
                    </head><body>
                    <p id="updated"></p><div id="banner" hidden></div>
                    <section id="allocators"></section><section id="snowflake"></section><section id="sequences"></section>
                    <section id="locks"></section><section id="pools"></section>
                    <div id="result"></div>
                    </body></html>
                    """
                            .formatted(script);
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/html;charset=UTF-8");
            response.getWriter().write(html);
        }
    }

    /** Where Chromium is. */
    static final class Chromium {

        static Optional<Path> find() {
            String configured = System.getenv("CHROMIUM");
            Stream<Path> candidates = Stream.concat(
                    configured == null ? Stream.empty() : Stream.of(Path.of(configured)),
                    Stream.of("chromium", "chromium-browser", "google-chrome").flatMap(Chromium::onPath));
            return candidates.filter(Files::isExecutable).findFirst();
        }

        private static Stream<Path> onPath(String name) {
            String path = System.getenv().getOrDefault("PATH", "");
            return Stream.of(path.split(java.io.File.pathSeparator))
                    .filter(directory -> !directory.isEmpty())
                    .map(directory -> Path.of(directory, name));
        }
    }
}
