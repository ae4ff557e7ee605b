package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every security header on successes and on errors (a 429 is checked in RateLimitIT with the same assertion). */
@ExtendWith(Environment.Extension.class)
class SecurityHeadersIT {

    @Test
    void aSuccessCarriesEverySecurityHeader(Environment env) throws Exception {
        HttpResponse<String> ok = env.tomcat.get("/api/openapi.json");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertSecurityHeaders(ok.headers());
    }

    @Test
    void aNotFoundCarriesEverySecurityHeader(Environment env) throws Exception {
        HttpResponse<String> missing = env.tomcat.get("/api/no-such-route");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertSecurityHeaders(missing.headers());
    }

    @Test
    void aServerErrorCarriesEverySecurityHeader(Environment env) throws Exception {
        HttpResponse<String> failure = env.tomcat.get("/api/diagnostics/failure");
        assertThat(failure.statusCode()).isEqualTo(500);
        assertSecurityHeaders(failure.headers());
    }

    @Test
    void plainHttpGetsNoHsts(Environment env) throws Exception {
        assertThat(env.tomcat.get("/alive").headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    /** The headers of DESIGN.md §2 and issue #8, with the default configuration. */
    static void assertSecurityHeaders(HttpHeaders headers) {
        assertThat(headers.firstValue("Content-Security-Policy")).hasValue("default-src 'none'; frame-ancestors 'none'");
        assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(headers.firstValue("Cross-Origin-Opener-Policy")).hasValue("same-origin");
        assertThat(headers.firstValue("Cross-Origin-Resource-Policy")).hasValue("same-origin");
        assertThat(headers.firstValue("Origin-Agent-Cluster")).hasValue("?1");
        assertThat(headers.firstValue("X-DNS-Prefetch-Control")).hasValue("off");
        assertThat(headers.firstValue("X-Download-Options")).hasValue("noopen");
        assertThat(headers.firstValue("X-Permitted-Cross-Domain-Policies")).hasValue("none");
        assertThat(headers.firstValue("Permissions-Policy").orElse("")).contains("camera=()", "geolocation=()",
                "microphone=()", "payment=()").doesNotContain("self", "*");
        assertThat(headers.firstValue("Cache-Control")).hasValue("no-store");
        assertThat(headers.firstValue("X-Powered-By")).isEmpty();
        assertThat(headers.firstValue("Server").orElse("").strip()).isEmpty();
    }
}
