package br.com.reistech.web.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestContextFilterTest {

    @Test
    void saneRequestIdIsKept() {
        assertThat(RequestContextFilter.requestId("nginx-7f3a.1:2_x")).isEqualTo("nginx-7f3a.1:2_x");
    }

    @Test
    void missingRequestIdIsGeneratedAs128BitsOfHex() {
        assertThat(RequestContextFilter.requestId(null)).matches("[0-9a-f]{32}");
    }

    @Test
    void requestIdWithUnsafeCharactersOrTooLongIsReplaced() {
        assertThat(RequestContextFilter.requestId("abc\r\nSet-Cookie: x")).matches("[0-9a-f]{32}");
        assertThat(RequestContextFilter.requestId("a".repeat(129))).matches("[0-9a-f]{32}");
        assertThat(RequestContextFilter.requestId("")).matches("[0-9a-f]{32}");
    }

    @Test
    void generatedIdsDiffer() {
        assertThat(RequestContextFilter.requestId(null)).isNotEqualTo(RequestContextFilter.requestId(null));
    }
}
