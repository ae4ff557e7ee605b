package br.com.reistech.web.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SanitizationFilterTest {

    @Test
    void aParameterGivenTwiceIsFoundWhateverItsEncoding() {
        assertThat(SanitizationFilter.repeatedParameter("status=ACTIVE&limit=10")).isNull();
        assertThat(SanitizationFilter.repeatedParameter("status=ACTIVE&status=CLOSED")).isEqualTo("status");
        assertThat(SanitizationFilter.repeatedParameter("q=a&%71=b")).isEqualTo("q");
        assertThat(SanitizationFilter.repeatedParameter(null)).isNull();
    }

    @Test
    void operatorAndPrototypeNamesAreRefusedAtAnyDepthButPlainTextIsNot() {
        assertThat(refused("{\"email\":{\"$gt\":\"\"}}")).contains("$gt");
        assertThat(refused("{\"a\":[{\"b\":{\"$where\":\"sleep(1)\"}}]}")).contains("$where");
        assertThat(refused("{\"__proto__\":{\"admin\":true}}")).contains("__proto__");
        assertThat(refused("{\"settings\":{\"constructor\":{\"prototype\":{}}}}")).contains("constructor");
        assertThat(refused("{\"profile.role\":\"ADMIN\"}")).contains("profile.role");
        assertThat(refused("{\"content\":\"Olá! Select o modelo, união de $ e 'or' 1=1 -- {\\\"$gt\\\":1}\"}")).isNull();
        assertThat(refused("{not json")).isNull();
    }

    @Test
    void nestingIsLimited() {
        assertThat(refused("[".repeat(32) + "]".repeat(32))).isNull();
        assertThat(refused("[".repeat(33) + "]".repeat(33))).contains("deeper");
    }

    private static String refused(String json) {
        return SanitizationFilter.refusedStructure(json.getBytes(StandardCharsets.UTF_8));
    }
}
