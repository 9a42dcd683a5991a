package io.chatleads.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NodeJson writes strings exactly as {@code JSON.stringify} does: against the rules of the
 * language specification (QuoteJSONString, ES2019) written out here, and against Node itself when
 * it is on the machine.
 */
class NodeJsonTest {

    private static final ObjectMapper MAPPER = NodeJson.mapper();

    /** QuoteJSONString as the specification states it, character by character; independent of Jackson. */
    static String stringify(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1));
                    if (pair) {
                        out.append(c).append(value.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String written(Object value) throws IOException {
        return new String(MAPPER.writeValueAsBytes(value), StandardCharsets.UTF_8);
    }

    /** Through a generator of the shared factory, as get-leads and the webhook bodies write. */
    private static String generated(String value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        char[] chars = value.toCharArray();
        try (JsonGenerator out = NodeJson.factory().createGenerator(bytes)) {
            out.writeStartArray();
            out.writeString(value);
            out.writeString(chars, 0, chars.length);
            out.writeEndArray();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void assertWrittenAsNode(String value) throws IOException {
        String expected = stringify(value);
        String where = "for " + describe(value);
        assertEquals(expected, written(value), where);
        assertEquals("{" + expected + ":" + expected + "}", written(Map.of(value, value)), where + " (as a field name)");
        assertEquals("[" + expected + "," + expected + "]", generated(value), where + " (through the factory)");
    }

    @Test
    void everyAsciiCharacterIsWrittenAsTheRulesSay() throws IOException {
        for (char c = 0; c < 0x80; c++) {
            assertWrittenAsNode(String.valueOf(c));
            assertWrittenAsNode("a" + c + "b");
        }
    }

    @Test
    void theRuleTableItselfSaysWhatJsonStringifyWrites() {
        // Spot checks of the reference against values Node prints, so the table cannot drift with the code under test.
        assertEquals("\"\\u001f\"", stringify("\u001f"));
        assertEquals("\"\\u0000\"", stringify("\u0000"));
        assertEquals("\"\\b\\t\\n\\f\\r\\\"\\\\\"", stringify("\b\t\n\f\r\"\\"));
        assertEquals("\"/\u007f\u00e9\u2028\u2029\"", stringify("/\u007f\u00e9\u2028\u2029"));
        assertEquals("\"\ud83d\ude00\"", stringify("\ud83d\ude00"));
        assertEquals("\"\\ud800x\\udc00\"", stringify("\ud800x\udc00"));
    }

    @Test
    void randomStringsWithAstralCharactersLineSeparatorsAndLoneSurrogates() throws IOException {
        for (String value : randomStrings()) {
            assertWrittenAsNode(value);
        }
    }

    @Test
    void nodeItselfWritesTheSameBytes() throws Exception {
        Optional<Path> node = onPath("node");
        if (node.isEmpty()) {
            System.out.println("NodeJsonTest: node is not on PATH, so the comparison with Node itself is skipped");
            Assumptions.abort("node is not on PATH");
        }
        List<String> values = new ArrayList<>();
        for (char c = 0; c < 0x80; c++) {
            values.add(String.valueOf(c));
        }
        values.addAll(randomStrings());
        // One value a line, every non-ASCII character escaped, so the input survives any encoding;
        // Node parses each line and writes it again, once alone and once as an object's key and value.
        StringBuilder input = new StringBuilder();
        for (String value : values) {
            input.append(asciiJson(value)).append('\n');
        }
        Path in = Files.createTempFile("nodejson", ".txt");
        try {
            Files.writeString(in, input, StandardCharsets.US_ASCII);
            String script = "const lines = require('fs').readFileSync(process.argv[1], 'ascii').split('\\n');"
                    + "lines.pop();"
                    + "process.stdout.write(lines.map(l => { const v = JSON.parse(l); return JSON.stringify(v) + '\\n'"
                    + " + JSON.stringify({[v]: v}); }).join('\\n') + '\\n');";
            Process process = new ProcessBuilder(node.get().toString(), "-e", script, in.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] output = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "node did not finish");
            assertEquals(0, process.exitValue(), "node failed");
            String[] lines = new String(output, StandardCharsets.UTF_8).split("\n", -1);
            assertEquals(values.size() * 2 + 1, lines.length, "one line for each value and each object");
            for (int i = 0; i < values.size(); i++) {
                String value = values.get(i);
                assertEquals(lines[2 * i], written(value), "for " + describe(value));
                assertEquals(lines[2 * i + 1], written(Map.of(value, value)), "for " + describe(value) + " (as a field name)");
            }
        } finally {
            Files.delete(in);
        }
    }

    /** Strings of every kind of character, some long enough to cross the writer's internal buffers. */
    private static List<String> randomStrings() {
        SplittableRandom random = new SplittableRandom(17);
        List<String> values = new ArrayList<>();
        for (int n = 0; n < 600; n++) {
            int length = n % 50 == 0 ? random.nextInt(8_000, 40_000) : random.nextInt(0, 60);
            StringBuilder value = new StringBuilder(length);
            while (value.length() < length) {
                switch (random.nextInt(9)) {
                    case 0 -> value.append((char) random.nextInt(0, 0x20));
                    case 1 -> value.append((char) random.nextInt(0x20, 0x80));
                    case 2 -> value.append(random.nextBoolean() ? '\u2028' : '\u2029');
                    case 3 -> value.appendCodePoint(random.nextInt(0x10000, 0x110000));
                    case 4 -> value.append((char) random.nextInt(0xD800, 0xE000)); // a surrogate on its own
                    case 5 -> value.append((char) random.nextInt(0x80, 0xD800));
                    case 6 -> value.append((char) random.nextInt(0xE000, 0x10000));
                    case 7 -> value.append("\"\\/");
                    default -> value.append("plain text ");
                }
            }
            values.add(value.toString());
        }
        return values;
    }

    /** JSON text of {@code value} in ASCII only: every character outside printable ASCII as an escape. */
    private static String asciiJson(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String describe(String value) {
        String ascii = asciiJson(value);
        return ascii.length() > 200 ? ascii.substring(0, 200) + "… (" + value.length() + " chars)" : ascii;
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
