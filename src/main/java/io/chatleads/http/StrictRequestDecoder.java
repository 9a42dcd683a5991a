package io.chatleads.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x's request decoder held to RFC 9112's framing rules, where Netty's {@code HttpObjectDecoder}
 * (4.2.10) is lenient in ways a proxy in front may not be, which is how requests get smuggled:
 * <ul>
 *   <li>with both {@code Content-Length} and {@code Transfer-Encoding: chunked} it drops the length
 *       and reads chunks; here that is a 400 (RFC 9112 §6.3 says it "ought to be handled as an error");</li>
 *   <li>a {@code Transfer-Encoding} that is not exactly {@code chunked} ({@code xchunked}: Netty
 *       reads no body and parses the body as the next request; {@code chunked, identity}; chunked
 *       twice; a value folded onto the next line) is refused: 400 when chunked is not the one final
 *       coding, 501 for a coding we do not implement;</li>
 *   <li>a chunk size of more than 8 hex digits wraps around in Netty's {@code int} ({@code 100000000}
 *       reads as 0, the last chunk, and the chunk's data becomes the next request); here a chunk-size
 *       line must be hex digits, at most {@link Integer#MAX_VALUE}, then only an extension;</li>
 *   <li>any version text is taken ({@code HTTP/9.9}, {@code http/1.1}, the HTTP/2 preface
 *       {@code PRI * HTTP/2.0}); here only {@code HTTP/1.1} and {@code HTTP/1.0}, else 505;</li>
 *   <li>a missing, repeated or unparseable {@code Host} passes (Vert.x then fails on it later); here 400.</li>
 * </ul>
 * It also holds every body to {@code CHATLEADS_HTTP_MAX_BODY_BYTES}, so that what follows a body
 * too large is never read as a request, however late the route answers: a chunked body fails with
 * a 413 {@link ApiException} the moment it passes the limit (answered like a malformed chunk), and
 * a {@code Content-Length} over the limit, which {@link RequestBodies} refuses on the header, has
 * its body drained unread (that request never ends).
 * A request refused here is answered by {@link InvalidRequests} (its cause is an {@link ApiException}
 * with the status and message); a malformed chunk in a body the router is reading fails that request
 * with a 400 {@link ApiException}. Either way the connection closes after the answer, and from the
 * first framing error on, every byte that arrives is discarded: nothing after it is ever served as
 * a request of its own. Vert.x closes a connection the moment a chunk fails, which suits a body
 * read before the route (its 400 is written as the failure is handled) but not one a route reads
 * later, on a worker (a body sent with {@code Expect: 100-continue}): after a framing error the
 * close waits until every request decoded has its answer written ({@link CloseAfterAnswer}). A
 * close after an answer sent before its request's body ended (a body over the limit, one never
 * invited) is lingering too: the rest of the body is drained unread, the answer goes out before
 * the output ends, and the connection closes when the client closes its side, or at the latest
 * after the idle timeout, however long the client keeps sending.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

    private static final String VERTX_DECODER = "httpDecoder";
    private static final String VERTX_HANDLER = "handler";

    private final int maxLineBytes;
    private final long maxBodyBytes;
    /** Body bytes of the last request decoded. */
    private long bodyBytes;
    /** Bytes of this connection the decoder has consumed so far. */
    private long consumed;
    /** Where the next chunk-size line starts, while a chunked body is read; -1 outside one. */
    private long chunkLineAt = -1;
    private boolean refused;
    /** Whether the last request decoded still has body to come (its {@link LastHttpContent} is not decoded yet). */
    private boolean bodyPending;
    /** Requests decoded on this connection whose final answer (not a 100 Continue) is not written yet. */
    private int unanswered;
    /** How long a close waits for the answers still owed, at most. */
    private final long closeWaitMillis;

    private StrictRequestDecoder(HttpServerOptions options, long maxBodyBytes) {
        super(options);
        this.maxLineBytes = options.getMaxInitialLineLength();
        this.maxBodyBytes = maxBodyBytes;
        long idle = options.getIdleTimeoutUnit().toMillis(options.getIdleTimeout());
        this.closeWaitMillis = idle > 0 ? idle : TimeUnit.SECONDS.toMillis(30);
    }

    /**
     * Puts this decoder in place of Vert.x's on a new HTTP/1.x connection, from the server's
     * connection handler, which Vert.x calls as it builds the pipeline and before the first byte is
     * read, so nothing is lost in the swap. Reaching the channel takes Vert.x's own connection
     * class: a Vert.x that no longer offers it fails every connection (and the framing tests) loudly.
     */
    static void install(HttpConnection connection, HttpServerOptions options, long maxBodyBytes) {
        if (!(connection instanceof ConnectionBase base)) {
            throw new IllegalStateException("cannot reach the Netty pipeline of " + connection.getClass().getName());
        }
        ChannelPipeline pipeline = base.channel().pipeline();
        if (!(pipeline.get(VERTX_DECODER) instanceof VertxHttpRequestDecoder)) {
            throw new IllegalStateException("no Vert.x request decoder in the pipeline: " + pipeline.names());
        }
        if (pipeline.get(VERTX_HANDLER) == null) {
            throw new IllegalStateException("no Vert.x connection handler in the pipeline: " + pipeline.names());
        }
        StrictRequestDecoder decoder = new StrictRequestDecoder(options, maxBodyBytes);
        pipeline.replace(VERTX_DECODER, VERTX_DECODER, decoder);
        // next to Vert.x's handler, so it sees the answers as HTTP objects, before they are encoded
        pipeline.addBefore(VERTX_HANDLER, "closeAfterAnswer", decoder.new CloseAfterAnswer());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (chunkLineAt == consumed && !checkChunkLine(in, out)) {
            return;
        }
        int start = in.readerIndex();
        int emitted = out.size();
        super.decode(ctx, in, out);
        consumed += in.readerIndex() - start;
        for (int i = emitted; i < out.size(); i++) {
            if (!(out.get(i) instanceof HttpObject object)) {
                continue;
            }
            if (object instanceof HttpRequest) {
                // answered even when refused: InvalidRequests answers a request refused on its head
                unanswered++;
                bodyPending = true;
                bodyBytes = 0;
            }
            if (object instanceof LastHttpContent) {
                bodyPending = false;
            }
            if (object.decoderResult().isFailure()) {
                refuseFrom(in);
                if (!(object instanceof HttpMessage)) {
                    // Netty's own chunk checks (a bad delimiter, a bad character, a bad trailer)
                    object.setDecoderResult(DecoderResult.failure(new DecoderException(new ApiException(400,
                            "the chunked request body is malformed: " + describe(object.decoderResult().cause())))));
                }
            } else if (object instanceof HttpRequest request && request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
                // accepted by checkFraming, so exactly "chunked": its first chunk-size line follows the headers
                chunkLineAt = consumed;
            } else if (object instanceof HttpRequest request && HttpUtil.getContentLength(request, 0L) > maxBodyBytes) {
                // RequestBodies answers the 413 on the header; the body is drained, so the request never ends
                refuseFrom(in);
                drop(out, i + 1);
                break;
            } else if (object instanceof HttpContent content && (bodyBytes += content.content().readableBytes()) > maxBodyBytes) {
                // a chunked body past the limit: no byte of it beyond the limit reaches the router
                refuseFrom(in);
                drop(out, i);
                DefaultLastHttpContent end = new DefaultLastHttpContent();
                end.setDecoderResult(DecoderResult.failure(new DecoderException(new ApiException(413, ErrorMapping.tooLarge(maxBodyBytes)))));
                out.add(end);
                break;
            }
        }
    }

    /** Removes, and releases, what {@code out} holds from {@code from} on. */
    private static void drop(List<Object> out, int from) {
        while (out.size() > from) {
            ReferenceCountUtil.release(out.remove(out.size() - 1));
        }
    }

    /**
     * Checks the chunk-size line the input starts with (RFC 9112 §7.1: {@code 1*HEXDIG [ chunk-ext ] CRLF}).
     * False when the decoder must stop here: the line is incomplete (wait for more) or refused.
     */
    private boolean checkChunkLine(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int lineFeed = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (lineFeed < 0) {
            if (in.readableBytes() > maxLineBytes) {
                refuseChunk(in, out, "a chunk-size line is longer than " + maxLineBytes + " bytes");
            }
            return false;
        }
        int end = lineFeed - 1;
        if (end < start || in.getByte(end) != '\r') {
            refuseChunk(in, out, "a chunk-size line does not end with CRLF");
            return false;
        }
        long size = 0;
        int i = start;
        for (; i < end && hexValue(in.getByte(i)) >= 0; i++) {
            size = size * 16 + hexValue(in.getByte(i));
            if (size > Integer.MAX_VALUE) {
                refuseChunk(in, out, "a chunk size is larger than " + Integer.MAX_VALUE + " bytes");
                return false;
            }
        }
        if (i == start) {
            refuseChunk(in, out, "a chunk size is not a hexadecimal number");
            return false;
        }
        int extension = i;
        while (extension < end && (in.getByte(extension) == ' ' || in.getByte(extension) == '\t')) {
            extension++;
        }
        if (extension < end && in.getByte(extension) != ';' || extension == end && extension != i) {
            refuseChunk(in, out, "a chunk size is followed by something other than a chunk extension");
            return false;
        }
        for (int e = extension; e < end; e++) {
            byte b = in.getByte(e);
            if (b != '\t' && (b < 0x20 || b == 0x7f)) {
                refuseChunk(in, out, "a chunk extension holds a control character");
                return false;
            }
        }
        long lineBytes = lineFeed + 1 - start;
        // the last chunk (size 0) is followed by trailers, not another size line
        chunkLineAt = size == 0 ? -1 : consumed + lineBytes + size + 2;
        return true;
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** Ends the body being read with a failure: Vert.x fails the request, whose route answers the 400. */
    private void refuseChunk(ByteBuf in, List<Object> out, String problem) {
        refuseFrom(in);
        DefaultLastHttpContent end = new DefaultLastHttpContent();
        end.setDecoderResult(DecoderResult.failure(new DecoderException(new ApiException(400, problem))));
        out.add(end);
    }

    /**
     * From now on this connection's bytes are discarded unparsed. They are still taken off the
     * socket until it closes: closed with unread bytes, the kernel would reset the connection, and
     * the client could lose the error answer.
     */
    private void refuseFrom(ByteBuf in) {
        refused = true;
        chunkLineAt = -1;
        in.skipBytes(in.readableBytes());
    }

    /** Only the exception's kind: Netty's messages may echo the request. */
    private static String describe(Throwable cause) {
        return cause == null ? "unreadable" : cause.getClass().getSimpleName();
    }

    @Override
    protected HttpMessage createMessage(String[] initialLine) {
        String version = initialLine[2];
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new ApiException(505, "HTTP version '" + RequestFraming.shown(version)
                    + "' is not supported: this server speaks HTTP/1.1 and HTTP/1.0");
        }
        return super.createMessage(initialLine);
    }

    /**
     * Netty asks this once the headers are read and before it decides how the body is framed: the
     * one place a decoder can refuse a request on its headers. A throw here becomes a failed request
     * ({@link InvalidRequests} answers it).
     */
    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage message) {
        if (message instanceof HttpRequest request) {
            RequestFraming.check(request.protocolVersion() == HttpVersion.HTTP_1_0, request.headers());
        }
        return super.isContentAlwaysEmpty(message);
    }

    /**
     * Flushes what was written before the connection closes, and holds a close that would lose an
     * answer. Vert.x closes a connection it fails (a malformed chunk) right after the request's
     * error answer is written, while that answer still waits for the flush at the end of the read;
     * Netty would drop it, and the client would see only the connection close instead of its 400.
     * When the failing body is read by a route on a worker thread (invited by a 100 Continue), the
     * route has not answered yet when Vert.x closes: the close waits for its answer. And a close
     * while the client may still be sending (after a framing error, or after an answer sent before
     * the request's body ended: too large, or never invited) would make the kernel reset the
     * connection over the unread bytes, which can cost the client the answer: such a close ends
     * the output once the answer is written (the client reads the answer, then the end), drains
     * what still arrives unread, and closes when the client closes its side. Either wait lasts at
     * most the idle timeout from the close Vert.x asked for; then the connection closes
     * regardless. Any other close goes at once.
     */
    private final class CloseAfterAnswer extends ChannelOutboundHandlerAdapter {
        /** Whether the answer being written is informational (a 100 Continue), which is not the request's answer. */
        private boolean informational;
        /** The close Vert.x asked for, while it is held. */
        private ChannelPromise held;
        private boolean endingOutput;
        private boolean closing;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response) {
                informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            }
            boolean answered = msg instanceof LastHttpContent && !informational;
            ctx.write(msg, promise);
            if (answered) {
                unanswered--;
                if (held != null && unanswered <= 0) {
                    endOutput(ctx);
                }
            }
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            ctx.flush();
            if (closing) {
                ctx.close(promise);
            } else if (held != null) {
                ctx.channel().closeFuture().addListener(closed -> promise.trySuccess());
            } else if (refused || bodyPending && unanswered <= 0) {
                held = promise;
                // closed otherwise (the client's own close, once the output ended), the held close is done too
                ctx.channel().closeFuture().addListener(closed -> {
                    if (!closing) {
                        held.trySuccess();
                    }
                });
                ctx.executor().schedule(() -> closeNow(ctx), closeWaitMillis, TimeUnit.MILLISECONDS);
                if (unanswered <= 0) {
                    endOutput(ctx);
                }
            } else {
                ctx.close(promise);
            }
        }

        /**
         * Every answer is written: from now on what arrives is drained unread, and once the answers
         * have left (an empty write completes after them) the output ends. The client's close then
         * closes the channel (Netty closes one whose input ends).
         */
        private void endOutput(ChannelHandlerContext ctx) {
            if (endingOutput) {
                return;
            }
            endingOutput = true;
            refused = true;
            chunkLineAt = -1;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
                if (written.isSuccess() && ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
                    duplex.shutdownOutput();
                } else {
                    closeNow(ctx);
                }
            });
        }

        private void closeNow(ChannelHandlerContext ctx) {
            if (closing || held.isDone()) {
                return;
            }
            closing = true;
            ctx.flush();
            ctx.close(held);
        }
    }
}
