package io.github.idallocator.autoconfigure.etcd;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * One TLS handshake with an etcd endpoint, as the jetcd client would make it (the same trust and client certificate,
 * ALPN {@code h2}, host name verification), to tell a TLS misconfiguration from an etcd that does not answer: jetcd's
 * calls wait for a ready connection, so a handshake that can never succeed shows only as a timeout, without its cause.
 *
 * <p>Only a refusal of the handshake itself counts: an endpoint that cannot be reached, or a connection closed in the
 * middle of the handshake, is not a TLS matter and passes.
 */
final class EtcdTlsCheck {

    /** What an HTTP/2 client sends first; etcd answers it (or refuses a missing client certificate) right after. */
    private static final byte[] HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private EtcdTlsCheck() {}

    /**
     * Why a TLS handshake with {@code endpoint} ({@code https://host:port}) fails with {@code context} (and the
     * protocols and ciphers given, when not null), or empty when it succeeds or the endpoint cannot be reached within
     * {@code timeout}. With TLS 1.3 a server that requires a client certificate refuses a missing one only after the
     * handshake, so the check also reads etcd's first answer.
     */
    static Optional<String> handshakeFailure(
            URI endpoint,
            SSLContext context,
            String @Nullable [] protocols,
            String @Nullable [] ciphers,
            Duration timeout) {
        String host = endpoint.getHost();
        int port = endpoint.getPort() < 0 ? 443 : endpoint.getPort();
        int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
        } catch (IOException e) {
            close(plain);
            return Optional.empty();
        }
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (protocols != null) {
                parameters.setProtocols(protocols);
            }
            if (ciphers != null) {
                parameters.setCipherSuites(ciphers);
            }
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(timeoutMillis);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(HTTP2_PREFACE);
            out.flush();
            InputStream in = socket.getInputStream();
            in.read();
            return Optional.empty();
        } catch (SSLException e) {
            if (e.getCause() instanceof EOFException || e.getCause() instanceof SocketException) {
                return Optional.empty();
            }
            return Optional.of(
                    "a TLS handshake with etcd at " + host + ":" + port + " failed: " + e.getMessage() + hint(e));
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            close(plain);
        }
    }

    /** What the usual handshake failures mean, in the terms of the SSL bundle. */
    private static String hint(SSLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("bad_certificate") || message.contains("certificate_required")) {
            return " (etcd refused the client certificate or its absence: with --client-cert-auth the bundle needs a key"
                    + " store whose certificate etcd's trusted CA signed)";
        }
        if (message.contains("PKIX") || message.contains("unable to find valid certification path")) {
            return " (etcd's server certificate is not signed by a CA of the trust store)";
        }
        if (message.contains("No subject alternative") || message.contains("No name matching")) {
            return " (etcd's server certificate does not name the host of the endpoint)";
        }
        return "";
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do: the check is over
        }
    }
}
