package io.github.idallocator.launcher;

/** An error reply from redis-server, such as {@code -ERR unknown command} or {@code -MOVED 3999 127.0.0.1:7001}. */
public final class RespErrorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RespErrorException(String message) {
        super(message);
    }

    /** The first word of the error, such as {@code ERR}, {@code WRONGTYPE} or {@code MOVED}. */
    public String code() {
        String message = getMessage();
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }
}
