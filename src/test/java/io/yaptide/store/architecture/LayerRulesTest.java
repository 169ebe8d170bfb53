package io.yaptide.store.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/design.md, checked on the product's classes (tests and benchmarks excluded): no
 * package depends on a layer above its own. From the bottom: configuration and logging; {@code db};
 * the stores and their model (by concept); migrations and whole-database operations; dispatch; the
 * submission service; the operational edge (health, metrics); HTTP; the CLI, which composes the service.
 */
class LayerRulesTest {
    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.yaptide.store");
    }

    @Test
    void noPackageDependsOnALayerAboveIt() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Base").definedBy("io.yaptide.store.config..", "io.yaptide.store.logging..")
                .layer("Db").definedBy("io.yaptide.store.db..")
                .layer("Stores").definedBy("io.yaptide.store.users..", "io.yaptide.store.clusters..",
                        "io.yaptide.store.simulations..", "io.yaptide.store.tasks..", "io.yaptide.store.results..", "io.yaptide.store.outbox..",
                        "io.yaptide.store.keycloak..")
                .layer("Migrations").definedBy("io.yaptide.store.migrate..", "io.yaptide.store.ops..")
                .layer("Dispatch").definedBy("io.yaptide.store.dispatch..")
                .layer("Submissions").definedBy("io.yaptide.store.submissions..")
                .layer("Operations").definedBy("io.yaptide.store.health..", "io.yaptide.store.metrics..")
                .layer("Http").definedBy("io.yaptide.store.http..")
                .layer("Cli").definedBy("io.yaptide.store.cli..")
                .whereLayer("Base").mayNotAccessAnyLayer()
                .whereLayer("Db").mayOnlyAccessLayers("Base")
                .whereLayer("Stores").mayOnlyAccessLayers("Base", "Db")
                .whereLayer("Migrations").mayOnlyAccessLayers("Base", "Db", "Stores")
                .whereLayer("Dispatch").mayOnlyAccessLayers("Base", "Db", "Stores")
                .whereLayer("Submissions").mayOnlyAccessLayers("Base", "Db", "Stores", "Dispatch")
                .whereLayer("Operations").mayOnlyAccessLayers("Base", "Db", "Stores", "Dispatch")
                .whereLayer("Http").mayOnlyBeAccessedByLayers("Cli")
                .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
                .check(product);
    }
}
