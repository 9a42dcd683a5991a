package io.chatleads.app;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package rules of README "Code layout", on the compiled production classes: three layers
 * (the entry points that wire, the features, the toolkit), no package cycles, and every SQL
 * statement on the {@code leads} table inside {@code lead}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchitectureTest {

    private static final String[] FEATURES = {"..apikey..", "..chatbot..", "..lead..", "..owner..", "..webhook..",
            "..ops..", "..bench..", "..console..", "..account..", "..widget.."};

    // A statement that names the leads table: FROM leads, INTO leads, COPY leads, UPDATE leads, ...
    private static final Pattern LEADS_SQL = Pattern.compile(
            "(?is)\\b(from|into|update|join|table|copy)\\s+leads\\b");

    private JavaClasses classes;

    @BeforeAll
    void importProductionClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.chatleads");
        // The rules below say nothing about classes that were never found.
        assertTrue(classes.size() > 100, "production classes found: " + classes.size());
    }

    @Test
    void layersOnlyDependDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("entry").definedBy("io.chatleads.app..", "io.chatleads.cli..")
                .layer("features").definedBy(FEATURES)
                .layer("toolkit").definedBy("io.chatleads", "io.chatleads.http..", "io.chatleads.db..", "io.chatleads.error..")
                .whereLayer("entry").mayNotBeAccessedByAnyLayer()
                .whereLayer("features").mayOnlyBeAccessedByLayers("entry")
                .whereLayer("toolkit").mayOnlyBeAccessedByLayers("entry", "features")
                .check(classes);
    }

    @Test
    void theHttpToolkitKnowsNoFeature() {
        noClasses().that().resideInAPackage("io.chatleads.http..")
                .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
                .check(classes);
    }

    @Test
    void noFeatureReachesTheWiring() {
        noClasses().that().resideInAnyPackage(FEATURES)
                .should().dependOnClassesThat().resideInAnyPackage("io.chatleads.app..", "io.chatleads.cli..")
                .check(classes);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.chatleads.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void sqlOnTheLeadsTableLivesInLead() throws IOException {
        List<String> outside = new ArrayList<>();
        boolean leadHasSome = false;
        for (JavaClass javaClass : classes) {
            for (String constant : stringConstants(javaClass)) {
                if (!LEADS_SQL.matcher(constant).find()) {
                    continue;
                }
                if (javaClass.getPackageName().equals("io.chatleads.lead")) {
                    leadHasSome = true;
                } else {
                    outside.add(javaClass.getName() + ": " + constant.strip().lines().findFirst().orElse(""));
                }
            }
        }
        assertTrue(leadHasSome, "the check finds the lead package's own SQL, so it reads the constants it should");
        assertEquals(List.of(), outside, "SQL on the leads table outside io.chatleads.lead");
    }

    /** The text constants of a class file: its constant pool's UTF-8 entries (JVMS 4.4). */
    private static List<String> stringConstants(JavaClass javaClass) throws IOException {
        String resource = javaClass.getName().replace('.', '/') + ".class";
        List<String> texts = new ArrayList<>();
        try (InputStream raw = ArchitectureTest.class.getClassLoader().getResourceAsStream(resource);
             DataInputStream in = new DataInputStream(raw)) {
            in.readInt(); // magic
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> texts.add(in.readUTF());
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++; // a long or double takes two entries
                    }
                    case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag + " in " + resource);
                }
            }
        }
        return texts;
    }
}
