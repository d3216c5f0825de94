package org.trustledger.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal blocking HTTP/1.1 client, one keep-alive connection per thread. The driver shares the two
 * cores with the server, so every microsecond the client spends per request is taken from the server
 * it measures: the JDK's {@code HttpClient} hands each request between its selector thread and an
 * executor and took 0.3 to 0.7 of a core at the rates measured here. This one writes the request
 * and reads the answer on the calling thread, nothing else: status line, headers, a body framed by
 * Content-Length or chunked encoding (what Tomcat sends). It is for this benchmark's requests to a
 * local server only: no TLS, redirects, compression or proxies.
 *
 * <p>A reused connection the server has closed meanwhile (Tomcat ends keep-alive after 100 requests
 * or an idle timeout) fails before any byte of an answer arrives; such a request never reached the
 * application, and is sent again once on a fresh connection.
 */
final class Wire implements AutoCloseable {

    /** An answer: status and body. */
    record Response(int status, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int TIMEOUT_MILLIS = 60_000;

    private final String host;
    private final int port;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    private final List<Connection> all = new ArrayList<>();

    Wire(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * Sends one request and reads the whole answer.
     *
     * @param headers extra header lines, name and value alternating
     * @throws IOException when no answer came
     */
    Response exchange(String method, String path, byte[] body, String... headers) throws IOException {
        Connection c = current.get();
        boolean reused = c != null && c.open();
        if (!reused) {
            c = connect();
        }
        try {
            return c.exchange(method, path, body, headers);
        } catch (StaleConnection e) {
            if (!reused) {
                throw new IOException("The server closed a fresh connection before answering", e);
            }
            return connect().exchange(method, path, body, headers);
        }
    }

    private Connection connect() throws IOException {
        Connection old = current.get();
        if (old != null) {
            old.close();
        }
        Connection c = new Connection(host, port);
        current.set(c);
        synchronized (all) {
            all.removeIf(x -> !x.open());
            all.add(c);
        }
        return c;
    }

    /** Closes every connection (of every thread); a thread that sends again opens a new one. */
    @Override
    public void close() {
        synchronized (all) {
            all.forEach(Connection::close);
            all.clear();
        }
    }

    /** The server closed a reused connection before the first byte of the answer. */
    private static final class StaleConnection extends IOException {
        StaleConnection(String message) {
            super(message);
        }
    }

    private static final class Connection {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final String hostHeader;
        private volatile boolean open = true;

        Connection(String host, int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            hostHeader = host + ":" + port;
        }

        boolean open() {
            return open;
        }

        Response exchange(String method, String path, byte[] body, String... headers) throws IOException {
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(hostHeader).append("\r\n");
            for (int i = 0; i + 1 < headers.length; i += 2) {
                head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
                int first = in.read();
                if (first < 0) {
                    close();
                    throw new StaleConnection("closed by the server");
                }
                return read(first);
            } catch (StaleConnection e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                close();
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }

        private Response read(int first) throws IOException {
            String status = (char) first + line();
            if (!status.startsWith("HTTP/1.") || status.length() < 12) {
                throw new IOException("Not an HTTP answer: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            byte[] body;
            if (chunked) {
                body = chunks();
            } else if (length >= 0) {
                body = in.readNBytes((int) length);
                if (body.length < length) {
                    throw new EOFException("The answer ended early");
                }
            } else {
                body = in.readAllBytes(); // framed by the end of the connection
                closeAfter = true;
            }
            if (closeAfter) {
                close();
            }
            return new Response(code, body);
        }

        private byte[] chunks() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                        // trailers are not used here
                    }
                    return body.toByteArray();
                }
                byte[] chunk = in.readNBytes(n);
                if (chunk.length < n) {
                    throw new EOFException("A chunk ended early");
                }
                body.write(chunk);
                line();
            }
        }

        /** One header line without its CRLF (ISO-8859-1, as HTTP/1.1 headers are). */
        private String line() throws IOException {
            StringBuilder s = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("The answer ended inside its head");
                }
                if (b != '\r') {
                    s.append((char) b);
                }
            }
            return s.toString();
        }

        void close() {
            open = false;
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
