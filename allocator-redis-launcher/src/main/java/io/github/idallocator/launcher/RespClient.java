package io.github.idallocator.launcher;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RESP2 connection: sends commands as arrays of bulk strings and parses the reply.
 *
 * <p>Replies map to Java as follows: simple string to {@link String}, integer to {@link Long}, bulk string to a UTF-8
 * {@link String} (or {@code null}), array to {@link List} (or {@code null}). An error reply is thrown as {@link
 * RespErrorException}; inside an array it is returned as a {@link RespErrorException} element instead.
 */
final class RespClient implements Closeable {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final byte[] CRLF = {'\r', '\n'};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** Connects with {@code timeout} for both the connection and every reply. */
    static RespClient connect(String host, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            int millis = Math.toIntExact(timeout.toMillis());
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
            return new RespClient(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one command and returns its reply. */
    Object call(String... command) throws IOException {
        write(command);
        Object reply = read();
        if (reply instanceof RespErrorException error) {
            throw error;
        }
        return reply;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void write(String... command) throws IOException {
        out.write(('*' + Integer.toString(command.length)).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
        for (String argument : command) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            out.write(('$' + Integer.toString(bytes.length)).getBytes(StandardCharsets.US_ASCII));
            out.write(CRLF);
            out.write(bytes);
            out.write(CRLF);
        }
        out.flush();
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type == -1) {
            throw new EOFException("redis-server closed the connection");
        }
        String line = readLine();
        return switch (type) {
            case '+' -> line;
            case '-' -> new RespErrorException(line);
            case ':' -> Long.parseLong(line);
            case '$' -> readBulkString(Integer.parseInt(line));
            case '*' -> readArray(Integer.parseInt(line));
            default -> throw new IOException("Unsupported RESP reply type '" + (char) type + "': " + line);
        };
    }

    private String readBulkString(int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] data = in.readNBytes(length);
        if (data.length < length || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("Truncated bulk string from redis-server");
        }
        return new String(data, StandardCharsets.UTF_8);
    }

    private List<Object> readArray(int count) throws IOException {
        if (count < 0) {
            return null;
        }
        List<Object> elements = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            elements.add(read());
        }
        return elements;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int current = in.read();
            if (current == -1) {
                throw new EOFException("redis-server closed the connection in the middle of a reply");
            }
            if (previous == '\r' && current == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(current);
            previous = current;
        }
    }
}
