package br.com.reistech.sanitization;

import br.com.reistech.sanitization.SqlToken.Type;
import java.util.List;

/**
 * SQL injection detection by grammar over a token stream, in the manner of libinjection: the question
 * asked is not "does the text contain SQL words" but "if this value were pasted into a query, would it
 * change the query's structure". Stateless and thread-safe; linear in the input.
 *
 * <p>How a value is analysed ({@link #analyse}); the input must already be canonical (URL, HTML and
 * JavaScript-escape decoding are the caller's):
 * <ol>
 *   <li><b>Window.</b> Surrounding whitespace is ignored (a trailing NUL is kept: C-string drivers stop
 *       there). Up to {@value #CAP} characters are analysed whole; a longer value is analysed as its
 *       first and its last {@value #CAP} characters, so the cost is bounded whatever the length and
 *       padding cannot push a payload out of sight.</li>
 *   <li><b>Lexing</b> ({@link SqlTokenizer}) in the contexts where the value may be pasted into a query:
 *       unquoted ({@code WHERE id = <value>}), inside {@code '...'} and inside {@code "..."}. In a quoted
 *       context the text is read as if a quote preceded it, so its first token is the literal the value
 *       closes; the context is skipped when the value never closes that quote (it then stays a harmless
 *       literal). A value holding a backslash is lexed in the quoted contexts twice, with MySQL literals
 *       (backslash escapes) and standard ones (it does not: {@code \' OR 1=1} breaks out of an
 *       application that escaped the quote with a backslash for PostgreSQL or SQL Server).</li>
 *   <li><b>Folding</b> ({@link SqlFolder}): inner comments are dropped (SQL reads them as spaces), a
 *       trailing comment kept, multi-word units merged ({@code UNION ALL}, {@code ORDER BY},
 *       {@code NOT LIKE}), signs joined to numbers, literal comparisons such as {@code 1=1} collapsed.</li>
 *   <li><b>Rules</b> ({@link SqlRules}, parsing with {@link SqlGrammar} and {@link SqlStatements}), first
 *       where the value enters the query (after the closed literal, after {@code )}, after a leading
 *       number, at the start of a fragment), then anywhere:
 *       <ul>
 *         <li>tautology: a logical connector and a well-formed condition ({@code ' OR 1=1},
 *             {@code 1) OR (1=1}, {@code ' AND sleep(5) AND 'a'='a}) ending where the host query can go on;</li>
 *         <li>UNION [ALL] SELECT with a column list that is SQL, not words;</li>
 *         <li>stacked query: {@code ;} (or, for SQL Server, nothing) then a statement head that is
 *             unmistakable ({@code DROP TABLE x}, {@code EXEC xp_cmdshell}, {@code WAITFOR DELAY '..'});</li>
 *         <li>comment truncation right after the break-out of a short value ({@code admin'--});</li>
 *         <li>an operator continuing the closed literal ({@code '='}, {@code '-'},
 *             {@code '+(SELECT ...)+'}) and, in numeric context, arithmetic with a subquery or a
 *             dangerous call, or a pattern match between numbers ({@code 1 RLIKE 1});</li>
 *         <li>appended clauses: {@code ORDER BY n}, {@code GROUP BY .. HAVING}, {@code LIMIT},
 *             {@code INTO OUTFILE}, {@code PROCEDURE ANALYSE}; blind conditions as a whole value
 *             ({@code (CASE WHEN 1=1 THEN a ELSE b END)}, {@code IF(1=1,a,b)}, {@code (SELECT ...)});</li>
 *         <li>delay, file and command functions (sleep, benchmark, pg_sleep, xp_cmdshell, ...) called
 *             with literal arguments where an operand stands;</li>
 *         <li>input built to exhaust the parser's work budget (fingerprint {@code X}).</li>
 *       </ul>
 *       Prose fails these rules by structure: plain words are never a condition, a column list or a
 *       statement object; an apostrophe inside a word is followed by words, not by SQL; a quote after a
 *       sentence or a measure (6,1") is not a short value whose query a comment could cut.</li>
 *   <li><b>Comment-stripping filters.</b> When nothing fired and a block comment sits inside a word
 *       ({@code UNI/**}{@code /ON}), steps 2 to 4 run again on the text without those comments.</li>
 *   <li><b>Verdict.</b> The first rule that fires decides: {@code injection}, the rule's score (70..100)
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
        // A trailing NUL stays: it can cut the query like a comment.
        while (to > from && SqlTokenizer.isWhitespace(input.charAt(to - 1)) && input.charAt(to - 1) != '\0') {
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
        Verdict verdict = contexts(s, from, to);
        String joined = verdict.injection() ? null : withoutSplittingComments(s, from, to);
        return joined == null ? verdict : contexts(joined, 0, joined.length());
    }

    /** The as-is context, then each quoted one, with MySQL and with standard (no backslash escape) literals. */
    private static Verdict contexts(String s, int from, int to) {
        List<SqlToken> asIs = SqlFolder.fold(SqlTokenizer.tokenize(s, from, to, '\0', true, CAP), 0);
        SqlRules.Match match = SqlRules.asIs(asIs);
        if (match != null) {
            return injection(asIs, match);
        }
        boolean backslash = contains(s, '\\', from, to);
        for (char quote : QUOTES) {
            if (!contains(s, quote, from, to)) {
                continue;
            }
            for (boolean mysql : backslash ? new boolean[] {true, false} : new boolean[] {true}) {
                List<SqlToken> raw = SqlTokenizer.tokenize(s, from, to, quote, mysql, CAP);
                if (!raw.get(0).closed()) {
                    continue; // the value never closes that quote: in that context it stays a literal
                }
                List<SqlToken> tokens = SqlFolder.fold(raw, 1);
                match = SqlRules.inQuotedContext(tokens);
                if (match != null) {
                    return injection(tokens, match);
                }
            }
        }
        int score = evidence(asIs);
        return score == 0 ? CLEAN : new Verdict(false, score, "");
    }

    /**
     * The window without block comments that sit inside a word ({@code UNI/**}{@code /ON}), or null when
     * there are none. SQL would split the word there, but filters that strip comments join it again
     * before the query runs; prose never puts a comment inside a word.
     */
    static String withoutSplittingComments(String s, int from, int to) {
        StringBuilder joined = null;
        int copied = from;
        for (int open = s.indexOf("/*", from); open >= 0 && open + 1 < to; open = s.indexOf("/*", open + 2)) {
            int close = s.indexOf("*/", open + 2);
            if (close < 0 || close + 2 > to) {
                break;
            }
            if (open > from && close + 2 < to && Character.isLetterOrDigit(s.charAt(open - 1))
                    && Character.isLetterOrDigit(s.charAt(close + 2)) && s.charAt(open + 2) != '!') {
                joined = joined == null ? new StringBuilder(to - from) : joined;
                joined.append(s, copied, open);
                copied = close + 2;
            }
            open = close;
        }
        return joined == null ? null : joined.append(s, copied, to).toString();
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
        boolean unparseable = match.rule() == SqlRules.Rule.UNPARSEABLE;
        return new Verdict(true, match.rule().score, unparseable ? "X" : fingerprint(tokens, match.from(), match.to()));
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
