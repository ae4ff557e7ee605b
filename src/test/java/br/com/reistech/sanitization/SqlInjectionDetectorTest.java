package br.com.reistech.sanitization;

import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.sanitization.SqlInjectionDetector.Verdict;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SqlInjectionDetectorTest {

    @Test
    void flagsTautologyAfterStringBreakOut() {
        Verdict verdict = SqlInjectionDetector.analyse("' OR 1=1--");
        assertThat(verdict.injection()).isTrue();
        assertThat(verdict.fingerprint()).isEqualTo("s&1=1c");
        assertInjections("' OR '1'='1", "x' or 'a'='a", "' or ''='", "' OR username LIKE '%", "' OR NOT 1=2 --");
    }

    @Test
    void flagsTautologyInNumericContext() {
        assertInjections("1 AND 1=1", "1 or 1=1", "1) OR (1=1", "-1 OR 17-7=10", "or 1=1--");
    }

    @Test
    void flagsTautologyInDoubleQuotedContext() {
        assertInjections("\" or \"\"=\"", "admin\") or (\"1\"=\"1\"--");
    }

    @Test
    void flagsCommentRightAfterBreakOut() {
        assertInjections("admin'--", "admin' #", "admin'/*", "admin')--");
    }

    @Test
    void flagsUnionSelectAfterStringOrNumber() {
        assertInjections("-1 UNION SELECT 1,2,3", "' UNION ALL SELECT NULL,NULL--",
                "' union select username, password from users--", "1 UNION (SELECT @@version)");
    }

    @Test
    void readsCommentsInsideKeywordSequencesAsWhitespace() {
        assertInjections("1 UNION/**/SELECT/**/1,2", "'/**/OR/**/1=1--");
    }

    @Test
    void readsMysqlExecutableCommentsAsSql() {
        assertInjections("1 /*!50000UNION*/ /*!50000SELECT*/ 1,2", "' /*!OR*/ 1=1--");
    }

    @Test
    void flagsStackedQueries() {
        assertInjections("'; DROP TABLE users--", "1; DELETE FROM users", "'; EXEC xp_cmdshell 'dir'--",
                "1; DECLARE @q VARCHAR(99)", "'; COPY t FROM PROGRAM 'id'--");
    }

    @Test
    void flagsTimeBasedBlindPayloads() {
        assertInjections("1 AND SLEEP(5)", "';WAITFOR DELAY '0:0:5'--", "1 OR pg_sleep(5)--",
                "' AND (SELECT * FROM (SELECT(SLEEP(5)))a) AND 'x'='x", "benchmark(10000000,MD5(1))#");
    }

    @Test
    void flagsBooleanBlindSubexpressions() {
        assertInjections("1 AND ASCII(SUBSTRING((SELECT password FROM users),1,1))>64",
                "' AND (SELECT COUNT(*) FROM users) > 0 --");
    }

    @Test
    void flagsErrorBasedExtraction() {
        assertInjections("' AND extractvalue(1,concat(0x7e,version()))--", "1 AND 1=CONVERT(int,@@version)");
    }

    @Test
    void flagsOrderByProbingAfterBreakOut() {
        assertInjections("1' ORDER BY 3--+", "' GROUP BY 1,2,--", "' HAVING 1=1--");
    }

    @Test
    void flagsOperatorsThatContinueTheClosedString() {
        assertInjections("'='", "'-'", "'+(SELECT version())+'", "'=0--");
    }

    @Test
    void flagsBackslashQuotesThatBreakOutOfStandardSqlStrings() {
        // Where an application escapes ' as \' for a database that does not read backslashes (PostgreSQL,
        // SQL Server, Oracle), the backslash stays in the literal and the quote ends it.
        assertInjections("\\' OR 1=1 --", "\\\" OR 1=1 --");
    }

    @Test
    void flagsATrailingNulThatCutsTheQuery() {
        assertInjections("admin'\u0000", "' OR 1=1\u0000");
        assertClean("Sant'Ana\u0000");
    }

    @Test
    void flagsKeywordsSplitByCommentsForFiltersThatStripThem() {
        assertInjections("' UNI/**/ON SEL/**/ECT NULL,NULL --");
    }

    @Test
    void flagsPrefixedAndDollarQuotedLiterals() {
        assertInjections("' AND E'\\x41'='A' --", "' AND (SELECT current_user)=$$postgres$$ --");
    }

    @Test
    void flagsBlindConditionsInAnOrderByContext() {
        assertInjections("(CASE WHEN (1=1) THEN nome ELSE cpf END)", "IF(1=1,nome,cpf)", "id DESC, (SELECT version())");
    }

    @Test
    void refusesInputBuiltToExhaustTheParser() {
        Verdict verdict = SqlInjectionDetector.analyse("sleep(".repeat(3000));
        assertThat(verdict.injection()).isTrue();
        assertThat(verdict.fingerprint()).isEqualTo("X");
    }

    @Test
    void leavesPortugueseApostrophesAlone() {
        assertClean("D'Ávila", "Sant'Ana", "Rua Sant'Ana, 45", "Ele disse que chega 'amanhã' cedo", "copo d'água",
                "Joana d'Arc e Maria D'Ávila Sant'Ana");
    }

    @Test
    void leavesSqlWordsUsedAsPortugueseProseAlone() {
        assertClean("Vou fazer o select dos produtos e depois o union das tabelas",
                "Drop shipping é uma boa opção", "Select box não funciona no celular",
                "Pode ordenar: order by preço, por favor", "Delete from lista de compras o leite",
                "Preciso de sleep mode; drop o assunto", "Quero saber: union select os melhores vinhos do mês",
                "A table de preços or a planilha, tanto faz", "Oi, sou a D'Paula; select o melhor plano pra mim");
    }

    @Test
    void leavesChatPunctuationAlone() {
        assertClean("Oi -- tudo bem?", "Chegou; obrigado!", "1=1 é sempre verdade, disse o professor",
                "Olá! O produto chegou' -- ótimo", "\"Promoção\" -- só hoje!", "Pedido #123 chegou");
    }

    @Test
    void leavesNumbersAndContactsAlone() {
        assertClean("R$ 1.299,90", "50% de desconto", "às 14h30 ou 14:30", "123.456.789-09", "12345678909",
                "+55 11 98765-4321", "(11) 98765-4321", "o'neil@exemplo.com.br", "joao+loja@x.com.br");
    }

    @Test
    void leavesAddressesLinksAndProductTextAlone() {
        assertClean("Trav. D'Ouro, 7 — Vila Sant'Ana, Osasco-SP", "Estr. do M'Boi Mirim, 1.234",
                "https://loja.exemplo.com.br/produto?id=123&cor=azul", "C:\\Users\\maria\\nota_fiscal.pdf",
                "Código de rastreio: BR123456789BR -- chega em 5 dias", "Valor: R$ 1.299,90 - 10% = R$ 1.169,91",
                "Tamanhos: P/M/G/GG -- cores: preto, branco & azul", "José \"Zé\" Carlos", "Antônio Carlos ('Tonho')",
                "Se o preço for < R$ 100 e > R$ 50, eu compro", "Nota 10/10 :) ;) :-D", "00.000.000/0001-91");
    }

    @Test
    void leavesMeasuresAndEnglishWordsInChatAlone() {
        assertClean("Tela 6,1\" -- película inclusa", "6,1\" -- preta", "Monitor 27\" = 68cm", "TV 50\" + suporte",
                "WhatsApp or e-mail", "Tamanho M or 38", "McDonald's or Burger King?", "Ele falou \"sim\" or \"não\"?",
                "Fiz o pedido 12345; select o azul, please", "Quero a capa; select 2 unidades", "Select 10% off",
                "Eu disse: 'select * from produtos' kkk", "desc cliente; +55", "exec O'Connor não respondeu");
    }

    @Test
    void scoresPlainProseZero() {
        Verdict verdict = SqlInjectionDetector.analyse(
                "Bom dia! O pedido de D'Ávila chega amanhã, select o frete grátis.");
        assertThat(verdict).isEqualTo(new Verdict(false, 0, ""));
    }

    @Test
    void scoresSqlLikeTextBelowTheInjectionScores() {
        Verdict text = SqlInjectionDetector.analyse("No relatório use SUBSTRING(nome, 1, 3) e CONCAT(a, b)");
        assertThat(text.injection()).isFalse();
        assertThat(text.score()).isBetween(1, 60);
        assertThat(SqlInjectionDetector.analyse("' OR 1=1--").score()).isGreaterThanOrEqualTo(80);
    }

    @Test
    void survivesUnterminatedAndOddInput() {
        for (String odd : List.of("'", "\"", "`", "[", "@", "@@", "$", "$$", "$a$x", "/*", "/*!", "--", "#", "0x",
                "1e", "'abc", "\\", "'\\", "/*!50000", "((((((", "))))", "1.", "..", "\u0000\u00a0\u200b", "N'")) {
            assertThat(SqlInjectionDetector.analyse(odd)).isNotNull();
        }
        assertThat(SqlInjectionDetector.analyse(null)).isEqualTo(new Verdict(false, 0, ""));
        assertThat(SqlInjectionDetector.analyse(" \t\n")).isEqualTo(new Verdict(false, 0, ""));
    }

    @Test
    void findsPayloadsBeyondTheAnalysisWindow() {
        String padding = "a".repeat(20_000);
        assertThat(SqlInjectionDetector.analyse(padding + "' OR 1=1--").injection()).isTrue();
        assertThat(SqlInjectionDetector.analyse("1 UNION SELECT 1,2--" + padding).injection()).isTrue();
    }

    @Test
    void handlesAMebibyteOfRandomPrintableCharacters() {
        Random random = new Random(42);
        StringBuilder text = new StringBuilder(1 << 20);
        for (int i = 0; i < 1 << 20; i++) {
            text.append((char) (' ' + random.nextInt(95)));
        }
        assertThat(SqlInjectionDetector.analyse(text.toString())).isNotNull();
        assertThat(SqlInjectionDetector.analyse("(".repeat(1 << 20))).isNotNull();
        assertThat(SqlInjectionDetector.analyse("' OR (".repeat(1 << 17))).isNotNull();
    }

    @Test
    void detectsAtLeast99PercentOfTheSqliCorpus() throws IOException {
        List<String> lines = corpus("/corpus/sqli.txt");
        List<String> missed = new ArrayList<>();
        for (String line : lines) {
            if (!Canonical.forms(line).stream().anyMatch(form -> SqlInjectionDetector.analyse(form).injection())) {
                missed.add(line);
            }
        }
        int detected = lines.size() - missed.size();
        System.out.printf("sqli.txt: detected %d/%d (%.2f%%)%n",
                detected, lines.size(), 100.0 * detected / lines.size());
        missed.forEach(line -> System.out.println("  missed: " + line));
        assertThat(lines).hasSizeGreaterThan(100);
        assertThat(detected * 100).isGreaterThanOrEqualTo(lines.size() * 99);
    }

    @Test
    void flagsAtMostOnePercentOfThePortugueseCorpus() throws IOException {
        List<String> lines = corpus("/corpus/legit-ptbr.tsv");
        List<String> flagged = new ArrayList<>();
        for (String line : lines) {
            String value = line.substring(line.indexOf('\t') + 1);
            for (String form : Canonical.forms(value)) {
                Verdict verdict = SqlInjectionDetector.analyse(form);
                if (verdict.injection()) {
                    flagged.add(line + "  [" + verdict.fingerprint() + "]");
                    break;
                }
            }
        }
        System.out.printf("legit-ptbr.tsv: false positives %d/%d (%.2f%%)%n",
                flagged.size(), lines.size(), 100.0 * flagged.size() / lines.size());
        flagged.forEach(line -> System.out.println("  false positive: " + line));
        assertThat(lines).hasSizeGreaterThan(100);
        assertThat(flagged.size() * 100).isLessThanOrEqualTo(lines.size());
    }

    private static void assertInjections(String... inputs) {
        for (String input : inputs) {
            assertThat(SqlInjectionDetector.analyse(input).injection()).as(input).isTrue();
        }
    }

    private static void assertClean(String... inputs) {
        for (String input : inputs) {
            assertThat(SqlInjectionDetector.analyse(input).injection()).as(input).isFalse();
        }
    }

    private static List<String> corpus(String resource) throws IOException {
        try (InputStream in = SqlInjectionDetectorTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    /**
     * The caller's canonicalisation, for the corpus: percent-decoding (bytes that are not UTF-8 read as
     * Latin-1), HTML-entity and {@code \\uXXXX} decoding, repeated until stable (at most 3 rounds). A value
     * reaches the detector as a JSON string (a {@code +} stays) or as a query parameter (a {@code +} is a
     * space), so both forms are checked; a line that is a JSON document is checked as its string values,
     * which is what the caller hands over. An attack counts as detected when any form is, a legitimate
     * value as a false positive when any form is.
     */
    private static final class Canonical {

        private static final JsonFactory JSON = new JsonFactory();

        private static final Map<String, String> ENTITIES = Map.of(
                "amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "nbsp", "\u00a0", "sol", "/",
                "num", "#", "percnt", "%", "lpar", "(");

        static List<String> forms(String raw) {
            List<String> forms = new ArrayList<>();
            for (String value : jsonStrings(raw)) {
                for (String form : List.of(decode(value, false), decode(value, true))) {
                    if (!forms.contains(form)) {
                        forms.add(form);
                    }
                }
            }
            return forms;
        }

        /** The string values of a line that is a JSON object or array; else the line itself. */
        private static List<String> jsonStrings(String raw) {
            String trimmed = raw.strip();
            if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
                return List.of(raw);
            }
            List<String> values = new ArrayList<>();
            try (JsonParser parser = JSON.createParser(trimmed)) {
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (token == JsonToken.VALUE_STRING) {
                        values.add(parser.getText());
                    }
                }
            } catch (IOException notJson) {
                return List.of(raw);
            }
            return values.isEmpty() ? List.of(raw) : values;
        }

        private static String decode(String raw, boolean plusIsSpace) {
            String current = raw;
            for (int round = 0; round < 3; round++) {
                String next = unicodeEscapes(entities(percent(current, plusIsSpace)));
                if (next.equals(current)) {
                    break;
                }
                current = next;
            }
            return current;
        }

        private static String percent(String s, boolean plusIsSpace) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                    bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                    i += 2;
                } else if (c == '+' && plusIsSpace) {
                    bytes.write(' ');
                } else {
                    bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                }
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
            } catch (CharacterCodingException notUtf8) {
                return bytes.toString(StandardCharsets.ISO_8859_1);
            }
        }

        /** JavaScript/JSON {@code \\u0027} escapes. */
        private static String unicodeEscapes(String s) {
            StringBuilder out = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                boolean escape = s.startsWith("\\u", i) && i + 6 <= s.length()
                        && s.substring(i + 2, i + 6).chars().allMatch(c -> hex((char) c) >= 0);
                if (escape) {
                    out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                    i += 5;
                } else {
                    out.append(s.charAt(i));
                }
            }
            return out.toString();
        }

        private static int hex(char c) {
            return Character.digit(c, 16);
        }

        private static String entities(String s) {
            StringBuilder out = new StringBuilder(s.length());
            int i = 0;
            while (i < s.length()) {
                int end = s.charAt(i) == '&' ? entityEnd(s, i) : -1;
                if (end < 0) {
                    out.append(s.charAt(i++));
                    continue;
                }
                String name = s.substring(i + 1, end);
                String value = name.startsWith("#") ? numeric(name) : ENTITIES.get(name.toLowerCase());
                if (value == null) {
                    out.append(s.charAt(i++));
                    continue;
                }
                out.append(value);
                i = end < s.length() && s.charAt(end) == ';' ? end + 1 : end;
            }
            return out.toString();
        }

        /** Index just after the entity name ({@code &name} or {@code &#123} or {@code &#x7b}), or -1. */
        private static int entityEnd(String s, int amp) {
            int j = amp + 1;
            while (j < s.length() && j - amp <= 10
                    && (Character.isLetterOrDigit(s.charAt(j)) || j == amp + 1 && s.charAt(j) == '#')) {
                j++;
            }
            return j > amp + 1 ? j : -1;
        }

        private static String numeric(String name) {
            try {
                boolean hex = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X');
                int code = Integer.parseInt(name.substring(hex ? 2 : 1), hex ? 16 : 10);
                return Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : null;
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
    }
}
