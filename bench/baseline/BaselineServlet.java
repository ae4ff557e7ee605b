package br.com.reistech.bench;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark's yardstick, deployed beside ReisTech on the same Tomcat: a fixed JSON string, no
 * filters, no framework. Every figure in docs/BENCHMARKS.md is given as a ratio to this one.
 */
@WebServlet("/*")
public class BaselineServlet extends HttpServlet {
    private static final byte[] BODY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setContentLength(BODY.length);
        response.getOutputStream().write(BODY);
    }
}
