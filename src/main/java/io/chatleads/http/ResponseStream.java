package io.chatleads.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A chunked response body written from a worker thread as an {@link OutputStream}. Each write waits
 * until the event loop has taken the previous one, so a slow client slows the writer down instead
 * of the answer piling up in memory (the export runs at -Xmx128m). {@link #close} ends the response.
 */
public final class ResponseStream extends OutputStream {

    private static final int CHUNK = 64 * 1024;
    private final HttpServerResponse response;
    private final long idleTimeoutSeconds;
    private byte[] buffer = new byte[CHUNK];
    private int used;
    private boolean closed;

    public ResponseStream(HttpServerResponse response, long idleTimeoutSeconds) {
        this.response = response.setChunked(true);
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    @Override
    public void write(int b) throws IOException {
        if (used == buffer.length) {
            flush();
        }
        buffer[used++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (used == buffer.length) {
                flush();
            }
            int n = Math.min(length, buffer.length - used);
            System.arraycopy(bytes, offset, buffer, used, n);
            used += n;
            offset += n;
            length -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        if (used == 0) {
            return;
        }
        Buffer chunk = Buffer.buffer(buffer).slice(0, used);
        // the loop may still be sending the array: the next chunk gets a fresh one
        buffer = new byte[CHUNK];
        used = 0;
        await(response.write(chunk));
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        flush();
        await(response.end());
    }

    private void await(io.vertx.core.Future<Void> written) throws IOException {
        try {
            written.toCompletionStage().toCompletableFuture().get(idleTimeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the client is gone: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the client took no data for " + idleTimeoutSeconds + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the answer", e);
        }
    }
}
