package io.github.idallocator.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A web application that hands out order numbers, worker ids, Snowflake ids and invoice numbers through idallocator,
 * runs reports under a distributed lock and fetches URLs through a pool of proxies.
 * Run it with {@code ./mvnw -pl allocator-sample-app -am package -DskipTests && java -jar
 * allocator-sample-app/target/allocator-sample-app.jar}; without {@code spring.data.redis.*} it starts an embedded
 * redis-server.
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
