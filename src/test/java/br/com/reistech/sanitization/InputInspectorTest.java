package br.com.reistech.sanitization;

import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.sanitization.InputInspector.Result;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InputInspectorTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    @Test
    void plainWordsSkipTheDetectorsOnlyWhereTheDetectorsFindNothing() {
        for (String word : java.util.List.of("0", "20", "name", "name_desc", "SELECT", "union", "OR", "sleep", "benchmark",
                "waitfor", "0x414243", "1e309", "null", "true", "admin", "x".repeat(64))) {
            assertThat(InputInspector.plainWord(word)).as(word).isTrue();
            assertThat(SqlInjectionDetector.analyse(word).injection()).as(word).isFalse();
            assertThat(Canonicalizer.canonicalize(word).value()).as(word).isEqualTo(word);
            assertThat(InputInspector.typed("query", word)).as(word).isNull();
        }
        for (String judged : java.util.List.of("", "1--", "1 OR 1=1", "1+OR+1=1", "a.b", "%27", "<b>", "x".repeat(65))) {
            assertThat(InputInspector.plainWord(judged)).as(judged).isFalse();
        }
        assertThat(InputInspector.typed("query", "1+OR+1=1")).isNotNull();
        assertThat(InputInspector.typed("query", "1 OR 1=1")).isNotNull();
    }

    @Test
    void operatorAndPrototypeNamesAreRefusedAtAnyDepth() {
        assertThat(refused("{\"email\":{\"$gt\":\"\"}}")).contains("$gt");
        assertThat(refused("{\"a\":[{\"b\":{\"$where\":\"x\"}}]}")).contains("$where");
        assertThat(refused("{\"__proto__\":{\"admin\":true}}")).contains("__proto__");
        assertThat(refused("{\"settings\":{\"constructor\":{\"prototype\":{}}}}")).contains("constructor");
        assertThat(refused("{\"profile.role\":\"ADMIN\"}")).contains("profile.role");
    }

    @Test
    void theBotFlowsMapsMayBeKeyedByWhatCustomersType() {
        String settings = "/api/workspaces/00000000-0000-0000-0000-000000000001";
        assertThat(refused(settings, "{\"flow\":{\"states\":{\"menu\":{\"on\":{\"1.\":\"catalog\",\"www.loja.com.br\":\"menu\"}}}}}"))
                .isNull();
        assertThat(refused(settings, "{\"flow\":{\"states\":{\"menu\":{\"$where\":\"x\"}}}}")).contains("$where");
        assertThat(refused(settings, "{\"flow\":{\"states\":{\"menu\":{\"on\":{\"<img src=x onerror=alert(1)>\":\"menu\"}}}}}"))
                .contains("markup");
    }

    @Test
    void onlyWorkspaceSettingsHaveFreeFormKeys() {
        assertThat(refused("/api/whatsapp/send", "{\"template\":{\"components\":[{\"on\":{\"$where\":\"x\"}}]}}"))
                .contains("$where");
    }

    @Test
    void aRewrittenBodyKeepsItsNumbersExactly() throws Exception {
        JsonNode out = body(inspect("/api/catalog/items", "{\"name\":\"<b>Capa</b>\",\"price\":0.1000000000000000000001,"
                + "\"stock\":12345678.99,\"big\":1e400}"));
        assertThat(out.path("price").decimalValue()).isEqualByComparingTo("0.1000000000000000000001");
        assertThat(out.path("stock").decimalValue()).isEqualByComparingTo("12345678.99");
        assertThat(out.path("big").decimalValue()).isEqualByComparingTo("1e400");
    }

    @Test
    void linksMayCarryTheirOwnEncodingButMustBeHttp() {
        assertThat(refused("{\"media\":{\"link\":\"https://example.com/p?a=1&region=BR&q=caf%C3%A9&lang=pt-BR\"}}")).isNull();
        assertThat(refused("{\"media\":{\"link\":\"javascript:alert(1)\"}}")).contains("http");
        assertThat(refused("{\"media\":{\"link\":\"https://x.example/%3Cscript%3E\"}}")).contains("markup");
    }

    @Test
    void aBodyThatIsOnlyAStringIsJudgedAsTyped() {
        assertThat(refused("\"1' OR '1'='1\"")).contains("SQL injection");
    }

    @Test
    void namesEchoedInProblemsAreMadePrintable() {
        assertThat(refused("{\"$<svg onload=alert(1)>\":1}")).doesNotContain("<").contains("$?svg");
    }

    @Test
    void nestingIsLimited() {
        assertThat(refused("[".repeat(32) + "]".repeat(32))).isNull();
        assertThat(refused("[".repeat(33) + "]".repeat(33))).contains("deeper");
    }

    @Test
    void aFieldGivenTwiceIsRefused() {
        assertThat(refused("{\"role\":\"AGENT\",\"role\":\"ADMIN\"}")).contains("more than once");
    }

    @Test
    void malformedJsonIsLeftToTheApplication() {
        Result result = inspect("/api/x", "{not json");
        assertThat(result.refusal()).isNull();
        assertThat(result.body()).isNull();
    }

    @Test
    void sqlInjectionInATypedFieldIsRefused() {
        assertThat(refused("{\"email\":\"admin'--\",\"password\":\"x\"}")).contains("'email'").contains("SQL injection");
        assertThat(refused("{\"customerId\":\"1 OR 1=1\"}")).contains("SQL injection");
        assertThat(refused("{\"sku\":\"%27%20UNION%20SELECT%20password%20FROM%20app_user--\"}")).contains("SQL injection");
    }

    @Test
    void markupInATypedFieldIsRefused() {
        assertThat(refused("{\"email\":\"<script>alert(1)</script>@x.example\"}")).contains("markup");
    }

    @Test
    void freeTextThatLooksLikeSqlIsScoredButPassesUnchanged() {
        Result result = inspect("/api/catalog/items", "{\"description\":\"x' UNION SELECT password FROM app_user--\"}");
        assertThat(result.refusal()).isNull();
        assertThat(result.body()).isNull();
        assertThat(result.suspicions()).singleElement().satisfies(s -> assertThat(s.field()).isEqualTo("description"));
    }

    @Test
    void portugueseProseIsNeitherRefusedNorChanged() {
        String text = "Olá! Select o modelo; a união não vai \\\"drop\\\" o preço -- or 1=1? D'Ávila 😀 a < b <3";
        Result result = inspect("/api/cms/texts/bot.menu", "{\"content\":\"" + text + "\",\"nome\":\"Joana D'Arc\"}");
        assertThat(result.refusal()).isNull();
        assertThat(result.body()).isNull();
        assertThat(result.suspicions()).isEmpty();
    }

    @Test
    void tagsInPlainTextAreStoredInert() throws Exception {
        JsonNode out = body(inspect("/api/catalog/items", "{\"name\":\"<img src=x onerror=alert(1)>Capa\"}"));
        assertThat(out.path("name").asText()).isEqualTo("\uFF1Cimg src=x onerror=alert(1)\uFF1ECapa");
    }

    @Test
    void htmlDeclaredContentIsCleanedToTheSafeSubset() throws Exception {
        JsonNode out = body(inspect("/api/cms/texts/pagina.sobre", "{\"format\":\"html\",\"content\":"
                + "\"<p onclick='x()'>Oi <b>loja</b><script>alert(1)</script><a href='javascript:alert(1)'>a</a>"
                + "<a href='https://loja.example'>b</a></p>\"}"));
        String html = out.path("content").asText();
        assertThat(html).contains("<b>loja</b>").contains("href=\"https://loja.example\"").contains("nofollow")
                .doesNotContain("script").doesNotContain("onclick").doesNotContain("javascript");
    }

    @Test
    void contentOfAPlainTextCmsEntryIsNotTreatedAsHtml() throws Exception {
        JsonNode out = body(inspect("/api/cms/texts/bot.menu", "{\"content\":\"<b>Oi</b>\"}"));
        assertThat(out.path("content").asText()).isEqualTo("\uFF1Cb\uFF1EOi\uFF1C/b\uFF1E");
    }

    @Test
    void secretsAreNeverInspected() {
        Result result = inspect("/api/auth/login", "{\"workspace\":\"demo\",\"email\":\"a@x.example\","
                + "\"password\":\"' OR '1'='1' -- <script>\"}");
        assertThat(result.refusal()).isNull();
        assertThat(result.body()).isNull();
    }

    private static Result inspect(String path, String json) {
        return InputInspector.body(path, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String refused(String json) {
        return refused("/api/x", json);
    }

    private static String refused(String path, String json) {
        Result result = inspect(path, json);
        return result.refusal() == null ? null : result.refusal().detail();
    }

    private static JsonNode body(Result result) throws Exception {
        assertThat(result.refusal()).isNull();
        assertThat(result.body()).isNotNull();
        return JSON.readTree(result.body());
    }

    @Test
    void printableNamesAreEchoedAsTheyAreAndOthersMaskedAndCut() {
        assertThat(InputInspector.printable("page_size-2.$x")).isEqualTo("page_size-2.$x");
        assertThat(InputInspector.printable("<script>")).isEqualTo("?script?");
        assertThat(InputInspector.printable("a".repeat(40))).isEqualTo("a".repeat(40));
        assertThat(InputInspector.printable("a".repeat(41))).isEqualTo("a".repeat(40) + "...");
    }
}
