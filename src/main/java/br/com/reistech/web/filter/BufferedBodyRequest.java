package br.com.reistech.web.filter;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A request whose body (up to {@code limit} bytes, plus one to tell it went over) a filter reads
 * once, for the application to read again. The container's request is never changed.
 */
final class BufferedBodyRequest extends HttpServletRequestWrapper {

    private final byte[] body;
    private final int limit;
    private final boolean rewritten;

    BufferedBodyRequest(HttpServletRequest request, int limit) throws IOException {
        this(request, limit, request.getInputStream().readNBytes(limit + 1), false);
    }

    private BufferedBodyRequest(HttpServletRequest request, int limit, byte[] body, boolean rewritten) {
        super(request);
        this.limit = limit;
        this.body = body;
        this.rewritten = rewritten;
    }

    /** The same request with another complete body, UTF-8 JSON (values made safe), and its length. */
    BufferedBodyRequest withBody(byte[] replacement) {
        return new BufferedBodyRequest((HttpServletRequest) getRequest(), Math.max(limit, replacement.length), replacement,
                true);
    }

    @Override
    public String getCharacterEncoding() {
        return rewritten ? "UTF-8" : super.getCharacterEncoding();
    }

    @Override
    public String getHeader(String name) {
        return rewritten && "Content-Length".equalsIgnoreCase(name) ? Integer.toString(body.length) : super.getHeader(name);
    }

    @Override
    public java.util.Enumeration<String> getHeaders(String name) {
        return rewritten && "Content-Length".equalsIgnoreCase(name)
                ? java.util.Collections.enumeration(java.util.List.of(Integer.toString(body.length))) : super.getHeaders(name);
    }

    @Override
    public int getIntHeader(String name) {
        return rewritten && "Content-Length".equalsIgnoreCase(name) ? body.length : super.getIntHeader(name);
    }

    @Override
    public int getContentLength() {
        return tooLarge() ? super.getContentLength() : body.length;
    }

    @Override
    public long getContentLengthLong() {
        return tooLarge() ? super.getContentLengthLong() : body.length;
    }

    /** The body is longer than the limit: only its first {@code limit + 1} bytes were read. */
    boolean tooLarge() {
        return body.length > limit;
    }

    byte[] body() {
        return body;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        ServletInputStream rest = tooLarge() ? super.getInputStream() : null;
        return new ServletInputStream() {
            @Override
            public int read() throws IOException {
                int next = in.read();
                return next >= 0 || rest == null ? next : rest.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int read = in.read(buffer, offset, length);
                return read >= 0 || rest == null ? read : rest.read(buffer, offset, length);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0 && (rest == null || rest.isFinished());
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("synchronous reads only");
            }
        };
    }

    @Override
    public BufferedReader getReader() throws IOException {
        String encoding = getCharacterEncoding();
        return new BufferedReader(new InputStreamReader(getInputStream(),
                encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
    }
}
