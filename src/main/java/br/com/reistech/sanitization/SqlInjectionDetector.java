package br.com.reistech.sanitization;

import br.com.reistech.sanitization.SqlToken.Type;
import java.util.List;

/**
 * SQL injection detection by grammar over a token stream, in the manner of libinjection: the question
 * asked is not "does the text contain SQL words" but "if this value were pasted into a query, would it
 * change the query's structure". Stateless and thread-safe.
 *
 * <p>How a value is analysed ({@link #analyse}); the input must already be canonical (URL and HTML
 * decoding are the caller's):
 * <ol>
 *   <li><b>Window.</b> Surrounding whitespace is ignored. Up to {@value #CAP} characters are analysed
 *       whole; a longer value is analysed as its first and its last {@value #CAP} characters, so the
 *       cost is bounded whatever the length and padding cannot push a payload out of sight.</li>
 *   <li><b>Lexing</b> ({@link SqlTokenizer}) in three contexts, as the value may be pasted into a query
 *       unquoted ({@code WHERE id = <value>}), inside {@code '...'} or inside {@code "..."}. In a quoted
 *       context the text is read as if a quote preceded it, so its first token is the literal the value
 *       closes; a quoted context is skipped when the value never closes that quote, since the value
 *       then stays a harmless literal.</li>
 *   <li><b>Folding</b> ({@link SqlFolder}): inner comments are dropped (SQL reads them as spaces), a
 *       trailing comment kept, multi-word units merged ({@code UNION ALL}, {@code ORDER BY},
 *       {@code NOT LIKE}), signs joined to numbers, literal comparisons such as {@code 1=1} collapsed.</li>
 *   <li><b>Rules</b> ({@link SqlRules}, parsing with {@link SqlGrammar}), first where the value enters the
 *       query (after the closed literal, after {@code )}, after a leading number), then anywhere:
 *       <ul>
 *         <li>tautology: a logical connector and a well-formed condition ({@code ' OR 1=1},
 *             {@code 1) OR (1=1}, {@code ' AND sleep(5) AND 'a'='a}) ending where the host query can go on;</li>
 *         <li>UNION [ALL] SELECT with a column list that is SQL, not words;</li>
 *         <li>stacked query: {@code ;} (or, for SQL Server, nothing) then a statement head that is
 *             unmistakable ({@code DROP TABLE x}, {@code EXEC xp_cmdshell}, {@code WAITFOR DELAY '..'});</li>
 *         <li>comment truncation right after the break-out of a short value ({@code admin'--});</li>
 *         <li>an operator continuing the closed literal ({@code '='}, {@code '-'},
 *             {@code '+(SELECT ...)+'}) and, in numeric context, arithmetic with a subquery or a dangerous call;</li>
 *         <li>appended clauses: {@code ORDER BY n}, {@code GROUP BY .. HAVING}, {@code LIMIT},
 *             {@code INTO OUTFILE}, {@code PROCEDURE ANALYSE};</li>
 *         <li>delay, file and command functions (sleep, benchmark, pg_sleep, xp_cmdshell, ...) called
 *             where an operand stands.</li>
 *       </ul>
 *       Prose fails these rules by structure: plain words are never a condition, a column list or a
 *       statement object, and an apostrophe inside a word is followed by words, not by SQL.</li>
 *   <li><b>Verdict.</b> The first rule that fires decides: {@code injection}, the rule's score (80..100)
 *       and the fingerprint of the deciding tokens (one character per token, e.g. {@code s&1=1c}: string,
 *       logic, folded comparison, comment). Otherwise {@code score} is the SQL evidence found in the text
 *       (function calls, comparisons, keyword pairs, system variables), at most {@value #MAX_EVIDENCE}
 *       and 0 for prose, for logging free text.</li>
 * </ol>
 */
public final class SqlInjectionDetector {

    /**
     * The outcome for one value.
     *
     * @param injection   block the value (for typed fields)
     * @param score       0..100, how SQL-like the text is; 0 for prose
     * @param fingerprint token classes of the structure that decided, empty when not an injection
     */
    public record Verdict(boolean injection, int score, String fingerprint) {
    }

    /** Characters analysed in one window. */
    static final int CAP = 8 * 1024;
    private static final int MAX_EVIDENCE = 60;
    private static final int MAX_FINGERPRINT = 24;
    private static final char[] QUOTES = {'\'', '"'};
    private static final Verdict CLEAN = new Verdict(false, 0, "");

    private SqlInjectionDetector() {
    }

    public static Verdict analyse(String input) {
        if (input == null) {
            return CLEAN;
        }
        int from = 0;
        int to = input.length();
        while (from < to && SqlTokenizer.isWhitespace(input.charAt(from))) {
            from++;
        }
        while (to > from && SqlTokenizer.isWhitespace(input.charAt(to - 1))) {
            to--;
        }
        if (to - from <= CAP) {
            return from == to ? CLEAN : window(input, from, to);
        }
        Verdict head = window(input, from, from + CAP);
        if (head.injection()) {
            return head;
        }
        Verdict tail = window(input, to - CAP, to);
        return tail.injection() || tail.score() > head.score() ? tail : head;
    }

    private static Verdict window(String s, int from, int to) {
        List<SqlToken> asIs = SqlFolder.fold(SqlTokenizer.tokenize(s, from, to, '\0', CAP), 0);
        SqlRules.Match match = SqlRules.asIs(asIs);
        if (match != null) {
            return injection(asIs, match);
        }
        for (char quote : QUOTES) {
            if (!contains(s, quote, from, to)) {
                continue;
            }
            List<SqlToken> raw = SqlTokenizer.tokenize(s, from, to, quote, CAP);
            if (!raw.get(0).closed()) {
                continue; // the value never closes that quote: in that context it stays a literal
            }
            List<SqlToken> tokens = SqlFolder.fold(raw, 1);
            match = SqlRules.inQuotedContext(tokens);
            if (match != null) {
                return injection(tokens, match);
            }
        }
        int score = evidence(asIs);
        return score == 0 ? CLEAN : new Verdict(false, score, "");
    }

    private static boolean contains(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return true;
            }
        }
        return false;
    }

    private static Verdict injection(List<SqlToken> tokens, SqlRules.Match match) {
        return new Verdict(true, match.rule().score, fingerprint(tokens, match.from(), match.to()));
    }

    /** One character per token of the deciding range, with the comment that ends it if any. */
    static String fingerprint(List<SqlToken> tokens, int from, int to) {
        int end = Math.min(to, tokens.size());
        if (end < tokens.size() && tokens.get(end).is(Type.COMMENT)) {
            end++;
        }
        StringBuilder print = new StringBuilder();
        for (int i = Math.max(from, 0); i < end && print.length() < MAX_FINGERPRINT; i++) {
            print.append(tokens.get(i).code());
        }
        return print.length() > MAX_FINGERPRINT ? print.substring(0, MAX_FINGERPRINT) : print.toString();
    }

    /**
     * How SQL-like a text that fired no rule is: calls of SQL functions, literal comparisons, system
     * variables, UNION SELECT, statement keywords with SQL objects, comments after SQL tokens. Plain
     * words, even SQL keywords among them, score nothing.
     */
    static int evidence(List<SqlToken> tokens) {
        int score = 0;
        for (int i = 0; i < tokens.size() && score < MAX_EVIDENCE; i++) {
            SqlToken token = tokens.get(i);
            SqlToken next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            SqlToken previous = i > 0 ? tokens.get(i - 1) : null;
            score += switch (token.type()) {
                case FUNCTION -> SqlTokenizer.isDangerous(token.text()) ? 25
                        : SqlTokenizer.SQL_FUNCTIONS.contains(token.text()) ? 15 : 0;
                case COMPARISON -> previous != null && previous.is(Type.LOGIC) ? 20 : 10;
                case VARIABLE -> token.text().startsWith("@@") ? 20 : 0;
                case UNION -> next != null && next.is(Type.KEYWORD, "SELECT") ? 20 : 0;
                case KEYWORD -> next != null && sqlObject(next) ? 15 : 0;
                case COMMENT -> previous != null && !previous.is(Type.BAREWORD) && !previous.is(Type.OTHER) ? 10 : 0;
                default -> 0;
            };
        }
        return Math.min(score, MAX_EVIDENCE);
    }

    private static boolean sqlObject(SqlToken next) {
        return next.is(Type.KEYWORD, "FROM") || next.is(Type.KEYWORD, "TABLE") || next.is(Type.KEYWORD, "INTO")
                || next.is(Type.OPERATOR, "*") || next.is(Type.VARIABLE) || next.is(Type.FUNCTION);
    }
}
