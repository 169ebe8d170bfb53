package io.yaptide.store.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * One HTTP/1.1 connection whose request and response bodies are streamed, for bodies larger than
 * a client would hold ({@link LoopbackClient} reads answers whole): the request body is written by
 * the caller, the response body is read as a stream (by Content-Length or de-chunked), and
 * {@link #gunzipOneMember} decodes a gzip answer as a browser does, refusing anything after the
 * first member. A server that answers {@code Connection: close} (the original's development server
 * does, every time) gets a new connection for the next request.
 */
public final class StreamingHttp implements AutoCloseable {
    /** Writes a request body. */
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A response's status and headers (names lower-cased); its body is read with {@link #body()}. */
    public record Head(int status, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final URI baseUrl;
    private final String hostHeader;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private InputStream body;
    private boolean closedByServer;

    public StreamingHttp(URI baseUrl) throws IOException {
        this.baseUrl = baseUrl;
        this.hostHeader = baseUrl.getHost() + ":" + baseUrl.getPort();
        connect();
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(baseUrl.getHost(), baseUrl.getPort()), 5_000);
        socket.setSoTimeout(300_000);
        out = new BufferedOutputStream(socket.getOutputStream(), 256 * 1024);
        in = new BufferedInputStream(socket.getInputStream(), 256 * 1024);
        closedByServer = false;
    }

    /** Sends a request (a body of {@code length} bytes, or none when {@code body} is null) and reads the response's head. */
    public Head send(String method, String pathAndQuery, String extraHeaders, long length, Body body) throws IOException {
        if (closedByServer) {
            socket.close();
            connect();
        }
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n").append(extraHeaders);
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(length).append("\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            body.writeTo(out);
        }
        out.flush();
        return readHead();
    }

    /** The body of the last response, as sent (not decoded); read it to its end before the next request. */
    public InputStream body() {
        return body;
    }

    private Head readHead() throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            // a header given more than once (Set-Cookie) keeps every value, one a line
            headers.merge(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(),
                    (a, b) -> a + "\n" + b);
        }
        closedByServer = "close".equalsIgnoreCase(headers.get("connection"));
        String length = headers.get("content-length");
        if (length != null) {
            body = new Bounded(Long.parseLong(length));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = new Chunked();
        } else {
            throw new IOException("response without Content-Length or chunked encoding (status " + status + ")");
        }
        return new Head(status, headers);
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            line.append((char) b);
        }
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
    }

    /** Reads {@code in} to its end: its length and CRC-32. */
    public static long[] lengthAndCrc(InputStream in) throws IOException {
        byte[] buffer = new byte[256 * 1024];
        CRC32 crc = new CRC32();
        long length = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            crc.update(buffer, 0, n);
            length += n;
        }
        return new long[] {length, crc.getValue()};
    }

    /**
     * Decodes a gzip body that must be exactly one member (as a browser reads it: nothing may follow
     * the member), passing the text to {@code text}; returns the text's length and CRC-32, both checked
     * against the trailer.
     */
    public static long[] gunzipOneMember(InputStream gzip, OutputStream text) throws IOException {
        byte[] header = gzip.readNBytes(10);
        if (header.length < 10 || (header[0] & 0xff) != 0x1f || (header[1] & 0xff) != 0x8b || header[2] != 8) {
            throw new IOException("not a gzip member");
        }
        int flags = header[3];
        if ((flags & 0x04) != 0) {
            byte[] xlen = gzip.readNBytes(2);
            gzip.readNBytes((xlen[0] & 0xff) | (xlen[1] & 0xff) << 8);
        }
        for (int flag : new int[] {0x08, 0x10}) {
            if ((flags & flag) != 0) {
                while (gzip.read() > 0) {
                    // a zero-terminated name or comment
                }
            }
        }
        if ((flags & 0x02) != 0) {
            gzip.readNBytes(2);
        }
        Inflater inflater = new Inflater(true);
        CRC32 crc = new CRC32();
        long length = 0;
        byte[] input = new byte[256 * 1024];
        byte[] output = new byte[1024 * 1024];
        int lastInputLength = 0;
        try {
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    lastInputLength = gzip.read(input);
                    if (lastInputLength < 0) {
                        throw new IOException("the gzip member ends early");
                    }
                    inflater.setInput(input, 0, lastInputLength);
                }
                int n = inflater.inflate(output);
                crc.update(output, 0, n);
                length += n;
                text.write(output, 0, n);
                if (n == 0 && inflater.needsDictionary()) {
                    throw new IOException("a preset dictionary is not gzip");
                }
            }
            // the input the inflater did not use is the start of the trailer
            int remaining = inflater.getRemaining();
            if (remaining > 8) {
                throw new IOException((remaining - 8) + " bytes follow the first gzip member");
            }
            byte[] trailer = new byte[8];
            System.arraycopy(input, lastInputLength - remaining, trailer, 0, remaining);
            byte[] more = gzip.readNBytes(8 - remaining);
            System.arraycopy(more, 0, trailer, remaining, more.length);
            if (remaining + more.length < 8) {
                throw new IOException("the gzip trailer is cut off");
            }
            if (gzip.read() >= 0) {
                throw new IOException("bytes follow the first gzip member");
            }
            long storedCrc = (trailer[0] & 0xffL) | (trailer[1] & 0xffL) << 8 | (trailer[2] & 0xffL) << 16 | (trailer[3] & 0xffL) << 24;
            long storedSize = (trailer[4] & 0xffL) | (trailer[5] & 0xffL) << 8 | (trailer[6] & 0xffL) << 16 | (trailer[7] & 0xffL) << 24;
            if (storedCrc != crc.getValue() || storedSize != (length & 0xffffffffL)) {
                throw new IOException("the gzip trailer does not match the text");
            }
            return new long[] {length, crc.getValue()};
        } catch (DataFormatException e) {
            throw new IOException("invalid deflate data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A body of a known length. */
    private final class Bounded extends InputStream {
        private long left;

        Bounded(long length) {
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("connection closed with " + left + " body bytes to come");
            }
            left -= n;
            return n;
        }
    }

    /** A chunked body, de-chunked. */
    private final class Chunked extends InputStream {
        private long left;
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = readLine();
                int semicolon = size.indexOf(';');
                left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
                if (left == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers: none expected
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("connection closed inside a chunk");
            }
            left -= n;
            if (left == 0 && !readLine().isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
            return n;
        }
    }
}
