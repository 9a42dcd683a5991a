package io.chatleads.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatleads.support.TestDatabase;
import io.chatleads.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Dockerfile and compose.yaml, checked without a Docker engine (there is none on the build
 * machine): what the image runs is the README's production command, word for word, and compose's
 * health check command gets its 200 from a real server (and fails when none answers). Also the
 * license, named alike in every place that names it.
 */
class ContainerFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String read(String file) throws IOException {
        return Files.readString(Path.of(file));
    }

    /** The README's production start: the one command line in it that starts with the CDS flag. */
    private static List<String> readmeProductionCommand() throws IOException {
        List<String> lines = read("README.md").lines()
                .filter(line -> line.startsWith("java -XX:SharedArchiveFile="))
                .toList();
        assertEquals(1, lines.size(), "one production command in the README: " + lines);
        return Arrays.asList(lines.get(0).trim().split("\\s+"));
    }

    /** An exec-form instruction ({@code ENTRYPOINT ["java", …]}) of the Dockerfile's last stage, as words. */
    private static List<String> instruction(String dockerfile, String name) throws IOException {
        String lastStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        Matcher matcher = Pattern.compile("(?m)^" + name + " (\\[.*])\\s*$").matcher(lastStage);
        assertTrue(matcher.find(), "the last stage has an exec-form " + name);
        List<String> words = new ArrayList<>();
        JSON.readTree(matcher.group(1)).forEach(word -> words.add(word.asText()));
        assertTrue(!matcher.find(), "one " + name + " in the last stage");
        return words;
    }

    @Test
    void theImageStartsWithTheReadmesProductionCommand() throws IOException {
        String dockerfile = read("Dockerfile");
        List<String> command = new ArrayList<>(instruction(dockerfile, "ENTRYPOINT"));
        command.addAll(instruction(dockerfile, "CMD"));
        assertEquals(readmeProductionCommand(), command);
    }

    @Test
    void theImageIsBuiltFromSourceAndRunsAsANonRootUserWithTheArchiveItStartsWith() throws IOException {
        String dockerfile = read("Dockerfile");
        assertTrue(dockerfile.matches("(?s).*\\nFROM \\S+ AS build\\n.*RUN mvn [^\\n]* package [^\\n]*\\n.*"),
                "a build stage that runs mvn package");
        assertTrue(dockerfile.contains("COPY --from=build /src/target/chatleads.jar target/chatleads.jar"));
        String lastStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertTrue(lastStage.contains("\nUSER chatleads\n"), "runs as the chatleads user");
        assertTrue(lastStage.contains("-XX:ArchiveClassesAtExit=target/chatleads.jsa -cp target/chatleads.jar io.chatleads.ops.CdsTraining"),
                "the archive is made in the runtime stage, for its own JRE, at the path the start command reads");
        assertTrue(lastStage.indexOf("CdsTraining") < lastStage.indexOf("\nUSER "), "made before the switch to the non-root user");
    }

    /** compose.yaml's health check of the chatleads service: a flow sequence, which is JSON. */
    private static List<String> composeHealthCheck() throws IOException {
        String compose = read("compose.yaml");
        String service = compose.substring(compose.indexOf("\n  chatleads:"));
        Matcher matcher = Pattern.compile("(?m)^\\s+test: (\\[\"CMD\", \"bash\".*])\\s*$").matcher(service);
        assertTrue(matcher.find(), "a bash health check in the chatleads service");
        List<String> words = new ArrayList<>();
        JSON.readTree(matcher.group(1)).forEach(word -> words.add(word.asText()));
        return words.subList(1, words.size());
    }

    private static int run(List<String> command, int port) throws Exception {
        List<String> onPort = command.stream().map(word -> word.replace("/8080", "/" + port)).toList();
        assertNotEquals(command, onPort, "the check names port 8080");
        Process process = new ProcessBuilder(onPort).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the health check finished");
        return process.exitValue();
    }

    @Test
    void composesHealthCheckPassesOnAReadyServerAndFailsWithoutOne() throws Exception {
        List<String> check = composeHealthCheck();
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.SQLITE);
             TestServer server = TestServer.start(database)) {
            assertEquals(0, run(check, server.port()));
        }
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertNotEquals(0, run(check, closed));
    }

    @Test
    void composeWaitsForAHealthyPostgresAndKeepsItsDataInAVolume() throws IOException {
        String compose = read("compose.yaml");
        assertTrue(compose.contains("condition: service_healthy"));
        assertTrue(compose.contains("pg_isready"));
        assertTrue(compose.contains("- postgres-data:/var/lib/postgresql/data"));
        assertTrue(compose.matches("(?s).*\\nvolumes:\\n  postgres-data:\\n.*"));
    }

    @Test
    void theLicenseIsApache2EverywhereItIsNamed() throws IOException {
        String license = read("LICENSE");
        assertTrue(license.strip().startsWith("Apache License\n                           Version 2.0, January 2004"), "LICENSE is the Apache License 2.0");
        assertTrue(license.contains("END OF TERMS AND CONDITIONS"), "the full text");
        assertTrue(read("pom.xml").matches("(?s).*<licenses>\\s*<license>\\s*<name>Apache-2.0</name>.*"));
        JsonNode openapi = JSON.readTree(Path.of("src/main/resources/openapi.json").toFile()).path("info").path("license");
        assertEquals("Apache-2.0", openapi.path("identifier").asText());
        assertTrue(read("README.md").contains("[Apache License 2.0](LICENSE)"));
    }
}
