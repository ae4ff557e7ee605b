package br.com.reistech.sanitization;

import br.com.reistech.sanitization.SqlToken.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Folds a raw token stream into the shape the grammar reads, like libinjection's folding step:
 * <ol>
 *   <li>comments inside the stream are dropped: SQL reads them as whitespace, which is how
 *       {@code UNION/**}{@code /SELECT} hides a keyword pair; only a trailing line comment or unclosed
 *       block comment stays, because it cuts off the rest of the host query;</li>
 *   <li>multi-word units become one token: {@code UNION ALL|DISTINCT}, {@code ORDER BY}, {@code GROUP BY},
 *       {@code NOT LIKE|IN|BETWEEN|REGEXP}, {@code IS NOT}, {@code SOUNDS LIKE}, {@code SIMILAR TO};</li>
 *   <li>a sign in front of a number where an operand is expected joins the number ({@code -1});</li>
 *   <li>a comparison of two literals ({@code 1=1}, {@code 'a'='a'}) collapses into one
 *       {@link Type#COMPARISON} token, the typical tautology.</li>
 * </ol>
 */
final class SqlFolder {

    private static final Set<String> NEGATABLE = Set.of("LIKE", "IN", "BETWEEN", "REGEXP", "RLIKE", "ILIKE", "GLOB");
    /** Comparisons that collapse; word operators (LIKE, IN, IS, RLIKE) stay visible to the rules. */
    private static final Set<String> SYMBOLIC_COMPARISONS = Set.of("=", "==", "<>", "!=", "<", ">", "<=", ">=", "<=>");

    private final List<SqlToken> out = new ArrayList<>();
    private final int protectedPrefix;

    private SqlFolder(int protectedPrefix) {
        this.protectedPrefix = protectedPrefix;
    }

    /**
     * The folded stream. The first {@code protectedPrefix} tokens (the string an input closes in a quoted
     * context) are never merged into a neighbour: the rules look for them.
     */
    static List<SqlToken> fold(List<SqlToken> raw, int protectedPrefix) {
        SqlFolder folder = new SqlFolder(protectedPrefix);
        for (int i = 0; i < raw.size(); i++) {
            SqlToken token = raw.get(i);
            if (token.is(Type.COMMENT)) {
                if (i == raw.size() - 1 && (token.quote() != '/' || !token.closed())) {
                    folder.out.add(token);
                }
                continue;
            }
            folder.add(token, nextAfter(raw, i));
        }
        return folder.out;
    }

    private static SqlToken nextAfter(List<SqlToken> raw, int i) {
        for (int j = i + 1; j < raw.size(); j++) {
            if (!raw.get(j).is(Type.COMMENT)) {
                return raw.get(j);
            }
        }
        return null;
    }

    private void add(SqlToken token, SqlToken next) {
        SqlToken last = last(0);
        if (last != null && merged(last, token)) {
            return;
        }
        if (token.is(Type.NUMBER) && signedNumber(token)) {
            return;
        }
        if ((token.is(Type.NUMBER) || token.is(Type.STRING)) && collapsedComparison(token, next)) {
            return;
        }
        out.add(token);
    }

    /** Multi-word units; true when {@code token} was absorbed into the last output token. */
    private boolean merged(SqlToken last, SqlToken token) {
        if (last.is(Type.UNION) && (token.is(Type.KEYWORD, "ALL") || token.is(Type.KEYWORD, "DISTINCT"))) {
            return true;
        }
        if (token.is(Type.KEYWORD, "BY") && last.is(Type.KEYWORD)
                && (last.text().equals("ORDER") || last.text().equals("GROUP"))) {
            replaceLast(SqlToken.of(Type.KEYWORD, last.text() + " BY"));
            return true;
        }
        if (token.is(Type.OPERATOR) && NEGATABLE.contains(token.text()) && last.is(Type.LOGIC, "NOT")) {
            replaceLast(SqlToken.of(Type.OPERATOR, "NOT " + token.text()));
            return true;
        }
        if (token.is(Type.LOGIC, "NOT") && last.is(Type.OPERATOR, "IS")) {
            replaceLast(SqlToken.of(Type.OPERATOR, "IS NOT"));
            return true;
        }
        if (token.is(Type.OPERATOR, "LIKE") && last.is(Type.OPERATOR, "SOUNDS")) {
            replaceLast(SqlToken.of(Type.OPERATOR, "SOUNDS LIKE"));
            return true;
        }
        if (token.is(Type.BAREWORD, "TO") && last.is(Type.BAREWORD, "SIMILAR")) {
            replaceLast(SqlToken.of(Type.OPERATOR, "SIMILAR TO")); // PostgreSQL; "similar" alone is Portuguese
            return true;
        }
        return false;
    }

    /** {@code -1} / {@code +1} where an operand is expected (start, after an operator, a paren, a comma). */
    private boolean signedNumber(SqlToken number) {
        SqlToken sign = last(0);
        if (sign == null || out.size() - 1 < protectedPrefix || !sign.is(Type.OPERATOR)
                || !(sign.text().equals("-") || sign.text().equals("+"))) {
            return false;
        }
        SqlToken before = last(1);
        if (before != null && isOperand(before)) {
            return false;
        }
        replaceLast(SqlToken.of(Type.NUMBER, sign.text() + number.text()));
        return true;
    }

    /** {@code literal CMP literal}, not part of a wider arithmetic ({@code 1+1=2}, {@code 1=1*2}). */
    private boolean collapsedComparison(SqlToken right, SqlToken next) {
        SqlToken operator = last(0);
        SqlToken left = last(1);
        if (operator == null || left == null || out.size() - 2 < protectedPrefix || !operator.is(Type.OPERATOR)
                || !SYMBOLIC_COMPARISONS.contains(operator.text())
                || !(left.is(Type.NUMBER) || left.is(Type.STRING))) {
            return false;
        }
        SqlToken beforeLeft = last(2);
        if (isArithmetic(beforeLeft) || isArithmetic(next) || next != null && next.is(Type.PAREN_OPEN)) {
            return false;
        }
        out.remove(out.size() - 1);
        replaceLast(SqlToken.of(Type.COMPARISON, left.code() + "=" + right.code()));
        return true;
    }

    private static boolean isArithmetic(SqlToken token) {
        return token != null && token.is(Type.OPERATOR) && !SqlTokenizer.isComparison(token.text());
    }

    static boolean isOperand(SqlToken token) {
        return switch (token.type()) {
            case STRING, NUMBER, BAREWORD, VARIABLE, COMPARISON, PAREN_CLOSE -> true;
            default -> false;
        };
    }

    private SqlToken last(int back) {
        int i = out.size() - 1 - back;
        return i >= 0 ? out.get(i) : null;
    }

    private void replaceLast(SqlToken token) {
        out.set(out.size() - 1, token);
    }
}
