package org.trustledger.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The arrows between modules (CONVENTIONS.md): ledger depends on nothing of ours; query on the
 * ledger's API; issuance never on GraphQL; the points rules are pure Java; only the server sees all.
 */
class ModuleBoundariesTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // Production classes only: neither test-classes directories nor the ledger's shared test jar.
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.trustledger");
    }

    @Test
    void the_ledger_depends_on_no_other_module() {
        noClasses().that().resideInAPackage("org.trustledger.ledger..")
                .should().dependOnClassesThat().resideInAnyPackage("org.trustledger.query..",
                        "org.trustledger.issuance..", "org.trustledger.server..", "graphql..",
                        "org.springframework.graphql..")
                .check(classes);
    }

    @Test
    void the_points_rules_are_pure_java() {
        classes().that().resideInAPackage("org.trustledger.ledger.rules..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.trustledger.ledger.rules..",
                        "org.trustledger.ledger.api..")
                .check(classes);
    }

    @Test
    void the_ledger_api_is_plain_records_without_infrastructure() {
        noClasses().that().resideInAPackage("org.trustledger.ledger.api..")
                .should().dependOnClassesThat().resideInAnyPackage("com.mongodb..", "org.bson..",
                        "org.springframework..", "org.trustledger.ledger.member..", "org.trustledger.ledger.eventstore..")
                .check(classes);
    }

    @Test
    void the_read_side_uses_the_ledger_api_not_its_aggregate_or_handlers() {
        noClasses().that().resideInAPackage("org.trustledger.query..")
                .should().dependOnClassesThat().resideInAnyPackage("org.trustledger.issuance..",
                        "org.trustledger.server..", "graphql..", "org.springframework.graphql..")
                .check(classes);
        // From the write side's packages the read side may use only the token maker (to mail tokens)
        // and the collection helper; never the aggregate, the handlers or the storage engine.
        noClasses().that().resideInAPackage("org.trustledger.query..")
                .should().dependOnClassesThat(resideInAnyPackage("org.trustledger.ledger.member..",
                        "org.trustledger.ledger.eventstore..")
                        .and(not(simpleName("EmailTokens"))).and(not(simpleName("MongoCollections"))))
                .check(classes);
    }

    @Test
    void issuance_never_depends_on_graphql_or_the_server() {
        // It reads the member projection (query) for rights, as the issuance issue asks; never GraphQL.
        noClasses().that().resideInAPackage("org.trustledger.issuance..")
                .should().dependOnClassesThat().resideInAnyPackage("graphql..", "org.springframework.graphql..",
                        "org.trustledger.server..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void events_and_commands_are_records() {
        classes().that().resideInAPackage("org.trustledger.ledger.api..")
                .and().haveSimpleNameNotEndingWith("Refusal").and().areNotEnums().and().areNotInterfaces()
                .and().doNotHaveSimpleName("package-info")
                .should().beRecords()
                .check(classes);
    }
}
