package io.chatleads.db;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.SslMode;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

/**
 * Opens an event loop's vertx-pg-client connection so that no socket is left half-open: use it
 * instead of {@link PgConnection#connect(Vertx, PgConnectOptions)}.
 *
 * <p>Why: vertx-pg-client 5.0.x (PgConnectionFactory) opens {@code sslmode=prefer} as "TLS, and if
 * that fails, plain": it sends PostgreSQL's 8-byte SSL request, and when the server answers 'N' (no
 * TLS, PostgreSQL's default) it fails that attempt without closing its socket and opens a second,
 * plain one. The first socket stays open until the connection that follows it is closed (or the
 * garbage collector cleans its client), while PostgreSQL keeps a backend waiting on it for a start-up
 * packet for {@code authentication_timeout} (60 s by default). Every reconnect leaves one more, and
 * a fast shutdown waits on those that arrive while it runs. {@code require} and {@code verify-*}
 * leave the same socket when the server answers 'N' (the attempt fails, the socket stays).
 *
 * <p>So when the mode would try TLS, PostgreSQL is first asked, on a socket of this class's own that
 * is closed at once, whether it takes TLS, and the library is then told what to do:
 * <ul>
 *   <li>'N': {@code prefer} and {@code allow} connect plain ({@code disable}), as libpq and pgjdbc
 *       would end up doing on the same socket; {@code require}, {@code verify-ca} and
 *       {@code verify-full} fail at once without the library trying.</li>
 *   <li>'S': the mode as configured; the library's TLS attempt is then answered 'S' as well.</li>
 * </ul>
 * The question is asked again before every connection, not remembered: connections are opened only
 * at start and after one was lost (a server restart, typically, which may have turned TLS on or
 * off), so it costs one short extra connection per connection opened and is never out of date.
 * A server whose answer changes in the instant between the question and the connection (a reload
 * of {@code ssl} at that moment) can still leave one socket: the library's own defect, described
 * for upstream in the hardening report.
 *
 * <p>The pgjdbc pool needs none of this: pgjdbc goes on with the start-up on the socket that was
 * answered 'N'.
 */
public final class PgConnector {

    /** PostgreSQL's SSLRequest code (protocol 1234.5679). */
    private static final int SSL_REQUEST_CODE = 80877103;
    // As long as the JDBC pool waits for a connection (Database), for a server that accepts the
    // TCP connection but does not answer (frozen): the connection would wait as long.
    private static final int PROBE_TIMEOUT_MS = 5_000;

    private PgConnector() {
    }

    /** A connection, or the failure; completed on the calling context (the event loop). */
    public static Future<PgConnection> connect(Vertx vertx, PgConnectOptions options) {
        SslMode mode = options.getSslMode();
        // The library itself never tries TLS for these: nothing can be left behind.
        if (mode == SslMode.DISABLE || options.isUsingDomainSocket()) {
            return PgConnection.connect(vertx, options);
        }
        return serverTakesTls(vertx, options.getHost(), options.getPort()).compose(takesTls -> {
            if (takesTls) {
                return PgConnection.connect(vertx, options);
            }
            return switch (mode) {
                case ALLOW, PREFER -> PgConnection.connect(vertx, new PgConnectOptions(options).setSslMode(SslMode.DISABLE));
                default -> Future.failedFuture(new SSLException("PostgreSQL at " + options.getHost() + ":" + options.getPort()
                        + " does not accept TLS connections, which sslmode=" + mode.name().toLowerCase().replace('_', '-')
                        + " requires"));
            };
        });
    }

    /**
     * Asks the server whether it takes TLS: the SSL request, its one-byte answer, then the socket
     * closed. After 'S' the TLS handshake is completed before closing, whatever the certificate:
     * a client that leaves after 'S' without a handshake makes PostgreSQL log "could not accept SSL
     * connection: EOF detected" for every connection; one that closes the TLS session properly
     * (close_notify) is not logged.
     */
    static Future<Boolean> serverTakesTls(Vertx vertx, String host, int port) {
        NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(PROBE_TIMEOUT_MS));
        return client.connect(port, host)
                .compose(socket -> ask(vertx, socket, host, port))
                .andThen(done -> client.close());
    }

    private static Future<Boolean> ask(Vertx vertx, NetSocket socket, String host, int port) {
        Promise<Boolean> answer = Promise.promise();
        long timer = vertx.setTimer(PROBE_TIMEOUT_MS, fired -> answer.tryFail(new SocketTimeoutException(
                "PostgreSQL at " + host + ":" + port + " did not answer the SSL request within " + PROBE_TIMEOUT_MS + " ms")));
        socket.exceptionHandler(answer::tryFail);
        socket.closeHandler(closed -> answer.tryFail(new ConnectException(
                "PostgreSQL at " + host + ":" + port + " closed the connection before answering the SSL request")));
        socket.handler(reply -> {
            if (answer.future().isComplete()) {
                return;
            }
            socket.handler(null);
            byte code = reply.getByte(0);
            if (code == 'N') {
                answer.tryComplete(false);
            } else if (code == 'S') {
                socket.upgradeToSsl(new ClientSSLOptions().setTrustAll(true).setHostnameVerificationAlgorithm(""))
                        // The answer was 'S' either way; a failed handshake here is the connection's to report.
                        .onComplete(handshake -> answer.tryComplete(true));
            } else {
                answer.tryFail(new ConnectException("PostgreSQL at " + host + ":" + port
                        + " answered the SSL request with '" + (char) code + "', neither 'S' nor 'N'"));
            }
        });
        socket.write(Buffer.buffer(8).appendInt(8).appendInt(SSL_REQUEST_CODE));
        return answer.future().andThen(done -> {
            vertx.cancelTimer(timer);
            socket.close();
        });
    }
}
