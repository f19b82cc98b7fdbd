package com.kpiledger;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering of KPI Ledger: the domain (command, coreapi) is plain Java plus Axon, the web layer reaches the domain
 * only through Axon's gateways and the coreapi contract, and the contract depends on nothing of the application.
 */
@AnalyzeClasses(packages = "com.kpiledger", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainIsFreeOfQuarkusJakartaAndPersistence = noClasses()
            .that().resideInAnyPackage("..command..", "..coreapi..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.quarkus..", "jakarta..", "io.agroal..", "org.hibernate..",
                    "io.quarkus.hibernate.orm.panache..")
            .because("aggregates and the message contract must stay plain Java plus Axon (kpi-spec section 2)");

    @ArchTest
    static final ArchRule webReachesTheDomainOnlyThroughGatewaysAndCoreapi = noClasses()
            .that().resideInAPackage("com.kpiledger.web..")
            .should().dependOnClassesThat().resideInAnyPackage("com.kpiledger.command..", "com.kpiledger.query..",
                    "com.kpiledger.audit..", "com.kpiledger.config..")
            .because("the web layer sends commands and queries through Axon gateways, typed by coreapi");

    @ArchTest
    static final ArchRule coreapiDependsOnNothingOfTheApplication = noClasses()
            .that().resideInAPackage("com.kpiledger.coreapi..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "com.kpiledger.command..", "com.kpiledger.query..", "com.kpiledger.web..",
                    "com.kpiledger.config..")
            .because("coreapi is the published message contract shared by every side");

    @ArchTest
    static final ArchRule readSideDoesNotDependOnWriteSideWebOrAudit = noClasses()
            .that().resideInAPackage("com.kpiledger.query..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "com.kpiledger.command..", "com.kpiledger.web..", "com.kpiledger.audit..", "com.kpiledger.config..")
            .because("read models are built from events (coreapi) alone, and know nothing of who asks");

    @ArchTest
    static final ArchRule auditReadsTheStoreNotTheWebOrTheWriteSide = noClasses()
            .that().resideInAPackage("com.kpiledger.audit..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "com.kpiledger.command..", "com.kpiledger.web..", "com.kpiledger.config..")
            .because("an audit recomputes from the raw events; it must not lean on the write side or the wiring");

    @ArchTest
    static final ArchRule commandSideDoesNotDependOnQueryWebOrConfig = noClasses()
            .that().resideInAPackage("com.kpiledger.command..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "com.kpiledger.query..", "com.kpiledger.web..", "com.kpiledger.config..")
            .because("the write side decides from its own events only");

    @ArchTest
    static final ArchRule demoDataTalksToTheServiceOnlyThroughGatewaysAndCoreapi = noClasses()
            .that().resideInAPackage("com.kpiledger.demo..")
            .should().dependOnClassesThat().resideInAnyPackage("com.kpiledger.command..", "com.kpiledger.query..",
                    "com.kpiledger.audit..", "com.kpiledger.web..", "com.kpiledger.config..")
            .because("demo data is what a CRM would send: commands through the gateway, nothing else");

    @ArchTest
    static final ArchRule nothingDependsOnDemoData = noClasses()
            .that().resideOutsideOfPackage("com.kpiledger.demo..")
            .should().dependOnClassesThat().resideInAPackage("com.kpiledger.demo..")
            .because("the service works the same without its demo data");

    @ArchTest
    static final ArchRule ingestOnlySendsCommands = noClasses()
            .that().resideInAPackage("com.kpiledger.ingest..")
            .should().dependOnClassesThat().resideInAnyPackage("com.kpiledger.command..", "com.kpiledger.query..",
                    "com.kpiledger.audit..", "com.kpiledger.web..", "com.kpiledger.config..", "com.kpiledger.demo..")
            .because("bulk ingest is the command gateway in chunked transactions, nothing more");
}
