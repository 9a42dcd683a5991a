package io.chatleads.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.net.HostAndPort;

import java.util.List;
import java.util.Locale;

/**
 * The header rules of RFC 9112 that decide where a request ends, and the {@code Host} it is for,
 * checked by {@link StrictRequestDecoder} before the body is read. Each refusal is an
 * {@link ApiException} naming what was wrong.
 */
final class RequestFraming {

    private static final int SHOWN_CHARS = 64;

    private RequestFraming() {
    }

    static void check(boolean http10, HttpHeaders headers) {
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        List<String> encodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (lengths.size() > 1) {
            throw new ApiException(400, "Content-Length is given " + lengths.size() + " times");
        }
        if (!encodings.isEmpty()) {
            if (!lengths.isEmpty()) {
                // RFC 9112 §6.3: such a message "ought to be handled as an error"; a proxy that frames
                // by Content-Length would see another request in the chunks
                throw new ApiException(400, "a request must not carry both Content-Length and Transfer-Encoding");
            }
            if (http10) {
                throw new ApiException(400, "Transfer-Encoding is not allowed in an HTTP/1.0 request");
            }
            checkTransferEncoding(String.join(",", encodings));
        }
        checkHost(http10, headers.getAll(HttpHeaderNames.HOST));
    }

    /** Only {@code chunked}, once, as the final coding (RFC 9112 §6.1); no other coding is implemented. */
    private static void checkTransferEncoding(String value) {
        if (!value.isEmpty() && (value.charAt(0) == ' ' || value.charAt(0) == '\t')) {
            // the decoder strips the whitespace after the colon: what is left came from a folded line
            throw new ApiException(400, "Transfer-Encoding is continued on a folded line (obs-fold)");
        }
        String[] codings = value.split(",", -1);
        int chunked = 0;
        String unsupported = null;
        for (String raw : codings) {
            String coding = raw.strip().toLowerCase(Locale.ROOT);
            if (coding.equals("chunked")) {
                chunked++;
            } else if (unsupported == null) {
                unsupported = coding;
            }
        }
        String last = codings[codings.length - 1].strip().toLowerCase(Locale.ROOT);
        if (!last.equals("chunked")) {
            throw new ApiException(400, "Transfer-Encoding '" + shown(value) + "' does not end with chunked, so the body's end is unknown");
        }
        if (chunked > 1) {
            throw new ApiException(400, "Transfer-Encoding '" + shown(value) + "' applies chunked more than once");
        }
        if (unsupported != null) {
            throw new ApiException(501, "transfer coding '" + shown(unsupported) + "' is not implemented: send the body with Transfer-Encoding: chunked alone");
        }
    }

    /** HTTP/1.1 requires exactly one Host (RFC 9112 §3.2); HTTP/1.0 may leave it out. */
    private static void checkHost(boolean http10, List<String> hosts) {
        if (hosts.isEmpty()) {
            if (!http10) {
                throw new ApiException(400, "the Host header is missing (HTTP/1.1 requires it)");
            }
            return;
        }
        if (hosts.size() > 1) {
            throw new ApiException(400, "the Host header is given " + hosts.size() + " times");
        }
        String host = hosts.get(0);
        HostAndPort parsed = host.isEmpty() ? null : HostAndPort.parseAuthority(host, -1);
        if (parsed == null || parsed.host().isEmpty()) {
            throw new ApiException(400, "the Host header '" + shown(host) + "' is not a host name or address with an optional port (0 to 65535)");
        }
    }

    /** A bit of what the client sent, for the message: never long, only printable ASCII. */
    static String shown(String sent) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < sent.length() && shown.length() < SHOWN_CHARS; i++) {
            char c = sent.charAt(i);
            shown.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sent.length() > SHOWN_CHARS ? shown + "…" : shown.toString();
    }
}
