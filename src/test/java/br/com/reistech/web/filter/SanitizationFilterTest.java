package br.com.reistech.web.filter;

import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.sanitization.InputInspector.Refusal;
import org.junit.jupiter.api.Test;

class SanitizationFilterTest {

    @Test
    void aParameterGivenTwiceIsFoundWhateverItsEncoding() {
        assertThat(SanitizationFilter.judgeQuery("status=ACTIVE&limit=10")).isNull();
        assertThat(detail("status=ACTIVE&status=CLOSED")).contains("'status' is given more than once");
        assertThat(detail("q=a&%71=b")).contains("'q' is given more than once");
        assertThat(SanitizationFilter.judgeQuery(null)).isNull();
    }

    @Test
    void queryValuesAreTypedSoInjectionAndMarkupAreRefused() {
        assertThat(detail("sort=name%20or%201%3D1")).contains("SQL injection");
        assertThat(detail("id=1%27%20OR%20%271%27%3D%271")).contains("SQL injection");
        assertThat(detail("q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")).contains("markup");
        assertThat(detail("q=%252527")).contains("encoded more than once");
        assertThat(detail("q=%zz")).contains("percent-encoding");
    }

    @Test
    void ordinarySearchesPass() {
        assertThat(SanitizationFilter.judgeQuery("q=capa%20d%27%C3%A1gua%20para%20iPhone&sort=price&page=0&size=20")).isNull();
        assertThat(SanitizationFilter.judgeQuery("q=Galaxy+S24+Ultra+256GB&status=ACTIVE")).isNull();
    }

    private static String detail(String query) {
        Refusal refusal = SanitizationFilter.judgeQuery(query);
        return refusal == null ? null : refusal.detail();
    }
}
