import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The notfound scenario's paired timing (bench/notfound.sh): the two kinds of 404 (another owner's
 * chatbot, and an id that exists nowhere) asked alternately on one keep-alive connection, in a
 * random order within each pair, so that whatever the machine does meanwhile falls on both alike.
 * Prints one RESULT line: each kind's p50 and p90 in microseconds, the median of the per-pair
 * differences (missing − others), and in how many pairs the missing id was the slower.
 *
 * <p>Run with the JDK's source launcher: {@code java bench/NotFoundPairs.java BASE_URL OTHERS MISSING
 * PAIRS ROUTE}, the pairs files as bench/notfound.sh writes them, ROUTE get-leads or capture.
 * Plain HTTP/1.1 on a socket of its own: the load generator's cost stays small and the same for both.
 */
public final class NotFoundPairs {

    public static void main(String[] args) throws IOException {
        URI base = URI.create(args[0]);
        List<String[]> others = pairs(Path.of(args[1]));
        List<String[]> missing = pairs(Path.of(args[2]));
        int count = Integer.parseInt(args[3]);
        String route = args[4];
        Random random = new Random(42);
        long[] otherNanos = new long[count];
        long[] missingNanos = new long[count];
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            Connection connection = new Connection(socket, base.getHost() + ":" + base.getPort());
            for (int i = 0; i < count; i++) {
                String[] other = others.get(i % others.size());
                String[] absent = missing.get(i % missing.size());
                if (random.nextBoolean()) {
                    otherNanos[i] = connection.timed(request(route, other));
                    missingNanos[i] = connection.timed(request(route, absent));
                } else {
                    missingNanos[i] = connection.timed(request(route, absent));
                    otherNanos[i] = connection.timed(request(route, other));
                }
            }
        }
        long[] differences = new long[count];
        int missingSlower = 0;
        for (int i = 0; i < count; i++) {
            differences[i] = missingNanos[i] - otherNanos[i];
            if (differences[i] > 0) {
                missingSlower++;
            }
        }
        System.out.printf("RESULT notfound-%s-paired pairs=%d others_p50_us=%.1f others_p90_us=%.1f missing_p50_us=%.1f"
                        + " missing_p90_us=%.1f median_difference_us=%.1f missing_slower_in=%d%%%n",
                route, count, micros(otherNanos, 0.5), micros(otherNanos, 0.9), micros(missingNanos, 0.5),
                micros(missingNanos, 0.9), micros(differences, 0.5), Math.round(100.0 * missingSlower / count));
    }

    private static List<String[]> pairs(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).map(line -> line.split(" ")).toList();
    }

    private static String request(String route, String[] pair) {
        if (route.equals("capture")) {
            String body = "{\"name\":\"Probe\",\"email\":\"probe@example.com\"}";
            return "POST /api/v1/chatbots/" + pair[0] + "/leads HTTP/1.1\r\nAuthorization: Bearer " + pair[1]
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n%HOST%\r\n" + body;
        }
        return "GET /api/v1/get-leads?chatbotId=" + pair[0] + "&page=1&size=10 HTTP/1.1\r\nAuthorization: Bearer "
                + pair[1] + "\r\n%HOST%\r\n";
    }

    private static double micros(long[] nanos, double quantile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1000.0;
    }

    /** One keep-alive connection: sends a request, reads one whole answer, and times the two. */
    private static final class Connection {
        private final InputStream in;
        private final OutputStream out;
        private final String host;
        private final byte[] buffer = new byte[64 * 1024];

        Connection(Socket socket, String host) throws IOException {
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.host = host;
        }

        long timed(String request) throws IOException {
            byte[] bytes = request.replace("%HOST%", "Host: " + host + "\r\n").getBytes(StandardCharsets.UTF_8);
            long started = System.nanoTime();
            out.write(bytes);
            out.flush();
            int status = readAnswer();
            long took = System.nanoTime() - started;
            if (status != 404) {
                throw new IllegalStateException("expected 404, got " + status + " for " + request.lines().findFirst().orElse(""));
            }
            return took;
        }

        // Reads the head, then exactly Content-Length bytes of body (chatleads' errors are never chunked).
        private int readAnswer() throws IOException {
            int length = 0;
            int headEnd = -1;
            while (headEnd < 0) {
                int read = in.read(buffer, length, buffer.length - length);
                if (read < 0) {
                    throw new IOException("the server closed the connection");
                }
                length += read;
                headEnd = indexOfHeadEnd(length);
            }
            String head = new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(head.substring(9, 12));
            int contentLength = 0;
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                    contentLength = Integer.parseInt(line.substring(15).trim());
                }
            }
            int have = length - (headEnd + 4);
            while (have < contentLength) {
                int read = in.read(buffer, 0, Math.min(buffer.length, contentLength - have));
                if (read < 0) {
                    throw new IOException("the server closed the connection mid-answer");
                }
                have += read;
            }
            return status;
        }

        private int indexOfHeadEnd(int length) {
            for (int i = 0; i + 3 < length; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
