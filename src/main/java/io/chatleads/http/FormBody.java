package io.chatleads.http;

import io.chatleads.error.InvalidInput;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A request body as a plain HTML form posts it ({@code application/x-www-form-urlencoded}, UTF-8):
 * 413 past the size limit, 400 for text that is not UTF-8 or a field given twice. Field accessors
 * name the field in their 400s, as {@link JsonBody}'s do.
 */
public final class FormBody {

    public static final String MEDIA_TYPE = "application/x-www-form-urlencoded";

    private final Map<String, List<String>> fields;

    private FormBody(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    /** Whether the request says its body is a form. */
    public static boolean isForm(RoutingContext ctx) {
        return JsonBody.mediaType(ctx).equals(MEDIA_TYPE);
    }

    public static FormBody read(RoutingContext ctx, int maxBytes) {
        byte[] bytes = RequestBodies.of(ctx).getBytes();
        if (bytes.length > maxBytes) {
            throw new ApiException(413, "request body must be at most " + maxBytes + " bytes (CHATLEADS_HTTP_MAX_BODY_BYTES)");
        }
        String text;
        try {
            // Browsers send a form in the page's encoding; a page that is not UTF-8 is refused, not misread.
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInput("the form is not UTF-8 text: give its page <meta charset=\"utf-8\">");
        }
        Map<String, List<String>> fields;
        try {
            // ';' is text in a form (only & separates fields); at most 100 fields are read.
            fields = QueryStringDecoder.builder().hasPath(false).charset(StandardCharsets.UTF_8).maxParams(100)
                    .semicolonIsNormalChar(true).build(text).parameters();
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("the form is not valid application/x-www-form-urlencoded: " + e.getMessage());
        }
        return new FormBody(fields);
    }

    /** The field's text; null when absent or empty; 400 when it is given more than once. */
    public String text(String field) {
        List<String> values = fields.get(field);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidInput(field + " is given more than once");
        }
        String value = values.get(0);
        return value.isEmpty() ? null : StorableText.require(field, value);
    }
}
