package io.github.idallocator.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.idallocator.test.RedisServerExtension;
import io.github.idallocator.test.WithRedisServer;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The README's quick start, exactly as written: its {@code application.yml} and its Java class (imports included) are
 * read from README.md, the class is compiled and the application started with nothing else, against a real Redis.
 */
@WithRedisServer
class ReadmeQuickStartTests {

    private static final Path README = Path.of("..", "README.md");

    @TempDir
    Path directory;

    @Test
    void theQuickStartCompilesStartsAndAllocatesAnId() throws Exception {
        String quickStart = section(Files.readString(README), "## Quick start: Spring Boot");
        String yaml = codeBlock(quickStart, "yaml");
        String java = codeBlock(quickStart, "java");
        Path config = Files.writeString(directory.resolve("application.yml"), yaml);
        Class<?> controller = compile(java);

        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(
                        QuickStartApplication.class, controller)
                .resourceLoader(new DefaultResourceLoader(controller.getClassLoader()))
                .run(
                        "--spring.config.location=" + config.toUri(),
                        "--spring.data.redis.port="
                                + RedisServerExtension.sharedServer().port(),
                        "--idallocator.key-prefix=readme-quick-start",
                        "--server.port=0")) {
            String port = context.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/orders"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Long.parseLong(response.body())).isBetween(1L, 1_000_000L);
        }
    }

    @Test
    void theQuickStartNamesItsImports() throws IOException {
        String java = codeBlock(section(Files.readString(README), "## Quick start: Spring Boot"), "java");

        assertThat(java)
                .contains("import io.github.idallocator.range.IdAllocator;")
                .contains("import org.springframework.web.bind.annotation.RestController;");
    }

    private Class<?> compile(String source) throws IOException, ClassNotFoundException {
        Matcher name = Pattern.compile("class\\s+(\\w+)").matcher(source);
        assertThat(name.find()).as("a class in the quick start").isTrue();
        Path sources = Files.createDirectories(directory.resolve("src"));
        Path classes = Files.createDirectories(directory.resolve("classes"));
        Path file = Files.writeString(sources.resolve(name.group(1) + ".java"), source);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("a JDK with javac").isNotNull();
        StringWriter output = new StringWriter();
        boolean compiled = compiler.getTask(
                        output,
                        null,
                        null,
                        List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString()),
                        null,
                        compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                                .getJavaFileObjects(file))
                .call();
        assertThat(compiled).as("javac: %s", output).isTrue();
        URLClassLoader loader =
                new URLClassLoader(new URL[] {classes.toUri().toURL()}, ReadmeQuickStartTests.class.getClassLoader());
        return loader.loadClass(name.group(1));
    }

    private static String section(String markdown, String heading) {
        int start = markdown.indexOf(heading);
        assertThat(start).as("README section %s", heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length());
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    private static String codeBlock(String markdown, String language) {
        Matcher block = Pattern.compile("(?m)^( *)```" + language + "\\n(.*?)^\\1```", Pattern.DOTALL)
                .matcher(markdown);
        assertThat(block.find()).as("a %s block", language).isTrue();
        String indent = block.group(1);
        return block.group(2)
                .lines()
                .map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line)
                .reduce("", (text, line) -> text + line + "\n");
    }

    /** What a user's {@code @SpringBootApplication} gives the quick start, without scanning this test's package. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class QuickStartApplication {}
}
