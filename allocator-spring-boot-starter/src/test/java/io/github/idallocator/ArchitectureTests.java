package io.github.idallocator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering of the modules and packages, on the main classes of core, {@code allocator-micrometer} and the starter:
 * core knows neither the starter nor Micrometer, the runtime and actuator types ({@code io.github.idallocator.spring})
 * know nothing of the auto-configurations, the Micrometer support needs no Spring Boot, and no packages depend on each
 * other in a cycle.
 */
class ArchitectureTests {

    private static final String[] CORE = {
        "io.github.idallocator",
        "io.github.idallocator.range..",
        "io.github.idallocator.sequence..",
        "io.github.idallocator.snowflake..",
        "io.github.idallocator.lock..",
        "io.github.idallocator.pool..",
        "io.github.idallocator.internal..",
        "io.github.idallocator.redis.."
    };

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.idallocator");

    @Test
    void coreDependsOnNeitherTheStarterNorMicrometerNorSpringBoot() {
        noClasses()
                .that()
                .resideInAnyPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.github.idallocator.spring..",
                        "io.github.idallocator.autoconfigure..",
                        "io.github.idallocator.micrometer..",
                        "io.micrometer..",
                        "org.springframework.boot..")
                .check(CLASSES);
    }

    @Test
    void runtimeAndActuatorTypesNeverUseTheAutoConfiguration() {
        noClasses()
                .that()
                .resideInAPackage("io.github.idallocator.spring..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.github.idallocator.autoconfigure..")
                .check(CLASSES);
    }

    @Test
    void theMicrometerSupportNeedsNoSpringBootAndNoStarter() {
        noClasses()
                .that()
                .resideInAPackage("io.github.idallocator.micrometer..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework.boot..",
                        "io.github.idallocator.spring..",
                        "io.github.idallocator.autoconfigure..")
                .check(CLASSES);
    }

    @Test
    void noPackagesDependOnEachOtherInACycle() {
        // every package its own slice, io.github.idallocator itself included
        slices().matching("io.github.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
