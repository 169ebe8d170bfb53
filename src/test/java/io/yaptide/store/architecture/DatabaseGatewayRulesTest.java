package io.yaptide.store.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.sql.Driver;
import java.sql.DriverManager;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@code db/} is the one gateway to the database: the command line, the HTTP routes and the
 * dispatchers reach the database only through the stores, and nothing but {@code db/} opens a
 * connection.
 */
class DatabaseGatewayRulesTest {
    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.yaptide.store");

    private static final String DB = "io.yaptide.store.db..";

    @Test
    void theEdgesImportNoJdbcAndNoJdbi() {
        noClasses().that().resideInAnyPackage("io.yaptide.store.http..", "io.yaptide.store.cli..",
                        "io.yaptide.store.dispatch..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.jdbi..")
                .because("HTTP, the CLI and the dispatchers go through the stores; db/ knows JDBC")
                .check(PRODUCT);
    }

    @Test
    void onlyTheGatewayCallsDriverManagerOrADriver() {
        noClasses().that().resideOutsideOfPackage(DB)
                .should().callMethodWhere(target(owner(assignableTo(Driver.class).or(equivalentTo(DriverManager.class)))))
                .because("connections are opened by db/Connections and db/Database, with the properties of their purpose")
                .check(PRODUCT);
    }

    @Test
    void onlyTheGatewayCreatesADataSource() {
        noClasses().that().resideOutsideOfPackage(DB)
                .should().callConstructorWhere(target(owner(assignableTo(DataSource.class))))
                .because("the service's pool and the admin commands' single connection are made in db/Database")
                .check(PRODUCT);
    }

    @Test
    void onlyTheGatewayKnowsThePool() {
        noClasses().that().resideOutsideOfPackage(DB)
                .should().dependOnClassesThat().resideInAPackage("com.zaxxer.hikari..")
                .because("the pool is db/Database's; its metrics are handed over by db/PoolMetrics")
                .check(PRODUCT);
    }
}
