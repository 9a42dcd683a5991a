package io.chatleads.apikey;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The hand-written Authorization parser accepts exactly what the regular expression it replaced did. */
class BearerTokenTest {

    private static final Pattern REPLACED = Pattern.compile("(?i)bearer +([A-Za-z0-9._~+/=-]+) *");

    private static String byRegex(String header) {
        Matcher matcher = REPLACED.matcher(header);
        return matcher.matches() ? matcher.group(1) : null;
    }

    @Test
    void namedCases() {
        assertEquals("cl_live_abc", BearerAuth.bearerToken("Bearer cl_live_abc"));
        assertEquals("abc", BearerAuth.bearerToken("bEaReR    abc   "));
        assertEquals("a.b_c~d+e/f=g-h", BearerAuth.bearerToken("BEARER a.b_c~d+e/f=g-h"));
        for (String refused : List.of("Bearer", "Bearer ", "Bearer  ", "Bearerabc", "Basic abc", " Bearer abc",
                "Bearer a b", "Bearer abc\t", "Bearer\tabc", "Bearer ab#c", "Bearer ünï", "Bearer abc\n")) {
            assertNull(BearerAuth.bearerToken(refused), refused);
            assertNull(byRegex(refused), refused);
        }
    }

    @Test
    void agreesWithTheRegularExpressionOnRandomHeaders() {
        Random random = new Random(42);
        String alphabet = "bearBEAR  aZ09._~+/=-#\t\u00e9:,";
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            StringBuilder header = new StringBuilder(random.nextInt(3) == 0 ? "" : random.nextBoolean() ? "Bearer " : "bearer");
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                header.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            headers.add(header.toString());
        }
        for (String header : headers) {
            assertEquals(byRegex(header), BearerAuth.bearerToken(header), "'" + header + "'");
        }
    }
}
