package io.chatleads.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one JSON writer configuration of everything chatleads sends (API answers, error bodies,
 * webhook bodies): strings come out byte for byte as Node's {@code JSON.stringify} writes them.
 * The hosted service is a Node application, and webhook receivers written for it often check the
 * signature over {@code JSON.stringify(req.body)} rather than the raw bytes, so any other escaping
 * of the same text breaks their check (issue 17).
 *
 * <p>{@code JSON.stringify} (ES2019, "well-formed JSON.stringify") escapes {@code "} and {@code \}
 * as {@code \"} and {@code \\}; U+0008, U+0009, U+000A, U+000C, U+000D as {@code \b \t \n \f \r};
 * every other character below U+0020 and every unpaired surrogate as a lower-case <code>&#92;u00xx</code>
 * or <code>&#92;udxxx</code>; nothing else: not {@code /}, not non-ASCII, not U+2028/U+2029, and a character
 * beyond the BMP is written as itself (four UTF-8 bytes).
 *
 * <p>Jackson writes exactly that with two features changed from its defaults: lower-case hex in
 * escapes, and surrogate pairs combined into one UTF-8 character (by default its UTF-8 writer
 * escapes each half, <code>&#92;uD83D&#92;uDE00</code>). Combining happens only when writing bytes: write with
 * {@code writeValueAsBytes} or a generator over an {@code OutputStream}, never to a {@code Writer}
 * or {@code String}, where an unpaired surrogate would go out unescaped. Both features leave Jackson's
 * fast path for plain text untouched (BENCHMARKS.md: the hot page before and after).
 */
public final class NodeJson {

    private static final JsonFactory FACTORY = newFactory();

    private NodeJson() {
    }

    private static JsonFactory newFactory() {
        return JsonFactory.builder()
                .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                // Jackson's defaults today, set anyway: Jackson 3 escapes '/' by default, and either
                // one turned on would change bytes that signatures are computed over.
                .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
                .disable(JsonWriteFeature.ESCAPE_NON_ASCII)
                .build();
    }

    /** The shared factory (thread-safe) for code that writes with a {@code JsonGenerator}. */
    public static JsonFactory factory() {
        return FACTORY;
    }

    /**
     * A new mapper with its own factory of the same configuration (a mapper makes itself its
     * factory's codec, so they are not shared); callers may add their own read features.
     */
    public static ObjectMapper mapper() {
        return new ObjectMapper(newFactory());
    }
}
