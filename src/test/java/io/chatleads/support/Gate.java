package io.chatleads.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on a loopback port of its own in front of a real server, which a test can shut
 * and open again: shut, every connection (open ones included) is reset at once, so to a client the
 * server is unreachable; open, bytes flow both ways untouched.
 */
public final class Gate implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "gate");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean open = true;

    private Gate(int targetPort) {
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.execute(this::accept);
    }

    /** An open gate to {@code 127.0.0.1:targetPort}. */
    public static Gate to(int targetPort) {
        return new Gate(targetPort);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT}, the gate's own origin. */
    public String origin() {
        return "http://127.0.0.1:" + port();
    }

    /** Resets every connection now and every new one until {@link #open()}. */
    public void shut() {
        open = false;
        for (Socket socket : sockets) {
            reset(socket);
        }
    }

    public void open() {
        open = true;
    }

    /** How many connections arrived while shut. */
    public int refused() {
        return refused.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (!open) {
                refused.incrementAndGet();
                reset(client);
                continue;
            }
            threads.execute(() -> forward(client));
        }
    }

    private void forward(Socket client) {
        try {
            Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            sockets.add(client);
            sockets.add(server);
            threads.execute(() -> pump(client, server));
            pump(server, client);
        } catch (IOException e) {
            reset(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away; the other follows
        } finally {
            reset(from);
            reset(to);
        }
    }

    /** Closes with a TCP reset (linger 0) rather than an orderly FIN: the client sees the failure at once. */
    private void reset(Socket socket) {
        sockets.remove(socket);
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        shut();
        threads.shutdownNow();
    }
}
