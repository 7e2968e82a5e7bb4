package dev.fedplane.controlplane;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The control plane's package rules, checked on the compiled main classes (tests left out;
 * Micronaut's generated bean definitions count as code of their bean's package).
 */
@AnalyzeClasses(
        packages = "dev.fedplane.controlplane",
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * Every package is its own slice ({@code app} and {@code app.grpc} are two): no cycle between
     * any of them.
     */
    @ArchTest
    static final ArchRule no_package_depends_on_itself_through_others =
            slices().matching("dev.fedplane.controlplane.(**)").should().beFreeOfCycles();

    /**
     * Generated protobuf and gRPC types meet the domain only in {@code grpc} packages (transport
     * and converters).
     */
    @ArchTest
    static final ArchRule generated_protobuf_types_are_used_only_in_grpc_packages =
            noClasses()
                    .that()
                    .resideOutsideOfPackage("..grpc..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("dev.fedplane.proto..", "com.google.rpc..");

    /**
     * The typed events are the neutral ground between producers and the reconciler: they depend on
     * nothing of ours.
     */
    @ArchTest
    static final ArchRule events_depend_on_nothing_of_the_control_plane =
            noClasses()
                    .that()
                    .resideInAPackage("dev.fedplane.controlplane.events..")
                    .should()
                    .dependOnClassesThat(
                            resideInAPackage("dev.fedplane.controlplane..")
                                    .and(
                                            not(
                                                    resideInAPackage(
                                                            "dev.fedplane.controlplane.events.."))));
}
