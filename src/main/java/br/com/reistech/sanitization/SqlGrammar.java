package br.com.reistech.sanitization;

import br.com.reistech.sanitization.SqlToken.Type;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent recogniser of SQL fragments over a folded token stream. Each method takes the index
 * where a construct should start and returns the index just after it, or {@link #FAIL}; it never throws
 * on odd input. While parsing, {@link #shape} collects what the parsed expression was made of, which is
 * what tells SQL ({@code 1=1}, {@code sleep(5)}, {@code (select ...)}) from prose (runs of plain words).
 *
 * <p>Every token read costs one unit of a budget proportional to the stream's length; once it is spent
 * every parse fails and {@link #exhausted()} says so, so no input can make the recogniser super-linear
 * (the rules refuse such input rather than let a payload hide behind the budget).
 */
final class SqlGrammar {

    static final int FAIL = -1;

    // Shape bits: what an expression contained.
    static final int WORD = 1;
    static final int TEXT = 1 << 1;
    static final int LITERAL = 1 << 2;
    static final int COMPARE = 1 << 3;
    static final int ARITH = 1 << 4;
    static final int CALL = 1 << 5;
    static final int SQL_CALL = 1 << 6;
    static final int DANGER = 1 << 7;
    static final int SUBQUERY = 1 << 8;
    static final int VAR = 1 << 9;
    /** CASE WHEN, IF(), IIF(): a condition choosing between values, the core of a blind probe. */
    static final int CONDITIONAL = 1 << 10;
    /** A literal that the input leaves open (the host query would close it). */
    static final int UNCLOSED = 1 << 11;
    /** Anything that prose does not produce on its own (arithmetic on words is a hyphen: e-mail, azul-claro). */
    static final int SQL_SIGNS = LITERAL | COMPARE | CALL | SQL_CALL | DANGER | SUBQUERY | VAR | CONDITIONAL;

    /** Clauses that may follow a complete condition in a host query. */
    private static final Set<String> CLAUSES = Set.of(
            "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "INTO", "PROCEDURE", "WAITFOR", "FROM", "WHERE");
    private static final Set<String> UNARY = Set.of("-", "+", "~", "!");

    private static final int MAX_NESTING = 100;

    private final List<SqlToken> t;
    private final SqlStatements statements = new SqlStatements(this);
    private long budget;
    private int nesting;
    private boolean overflowed;
    /** Shape bits of what the last parse read; callers reset it before a parse whose shape they judge. */
    int shape;

    SqlGrammar(List<SqlToken> tokens) {
        this.t = tokens;
        this.budget = 64L * tokens.size() + 4096;
    }

    SqlStatements statements() {
        return statements;
    }

    int size() {
        return t.size();
    }

    SqlToken at(int i) {
        if (--budget < 0 || i < 0 || i >= t.size()) {
            return null;
        }
        return t.get(i);
    }

    /** Whether the work budget ran out, or nesting passed what any real query uses. */
    boolean exhausted() {
        return budget < 0 || overflowed;
    }

    boolean is(int i, Type type) {
        SqlToken token = at(i);
        return token != null && token.is(type);
    }

    boolean is(int i, Type type, String text) {
        SqlToken token = at(i);
        return token != null && token.is(type, text);
    }

    /** AND, OR, XOR, {@code &&}, {@code ||}: the connectors of a condition (NOT is a prefix, not one). */
    boolean connector(int i) {
        SqlToken token = at(i);
        return token != null && token.is(Type.LOGIC) && !token.text().equals("NOT");
    }

    /** Whether a host query could go on after a complete condition ending at {@code i}. */
    boolean terminator(int i) {
        int j = i;
        while (is(j, Type.PAREN_CLOSE)) {
            j++; // closes the host query's own parentheses
        }
        SqlToken token = at(j);
        if (token == null) {
            return j >= t.size() && !exhausted();
        }
        return switch (token.type()) {
            case COMMENT, SEMICOLON, UNION -> true;
            case KEYWORD -> CLAUSES.contains(token.text());
            default -> false;
        };
    }

    /**
     * Connector operand (connector operand)*, at least one operand SQL-like and none plain prose. A
     * quoted word is prose too ({@code students' or 'teachers'}), unless {@code ||} or {@code &&}
     * connect: no sentence uses those ({@code ' || 'a' || '}).
     */
    int truthChain(int i) {
        int j = i;
        int all = 0;
        boolean symbolic = false;
        boolean text = false;
        while (connector(j)) {
            symbolic |= !Character.isLetter(at(j).text().charAt(0));
            shape = 0;
            int next = expression(j + 1);
            if (next == FAIL || (shape & (SQL_SIGNS | TEXT)) == 0) {
                return FAIL;
            }
            text |= (shape & SQL_SIGNS) == 0;
            all |= shape;
            j = next;
        }
        shape = all;
        return j == i || text && !symbolic || (all & SQL_SIGNS) == 0 ? FAIL : j;
    }

    int condition(int i) {
        int j = expression(i);
        while (j != FAIL && connector(j)) {
            j = expression(j + 1);
        }
        return j;
    }

    /** unary (operator unary)*, including {@code BETWEEN a AND b}. */
    int expression(int i) {
        int j = unary(i);
        while (j != FAIL) {
            SqlToken op = at(j);
            if (op == null || !op.is(Type.OPERATOR)) {
                return j;
            }
            j = operatorTail(j);
        }
        return FAIL;
    }

    /** Continues an expression at a binary operator whose left operand is already read. */
    int operatorTail(int j) {
        String op = at(j).text();
        shape |= SqlTokenizer.isComparison(op) ? COMPARE : ARITH;
        int k = unary(j + 1);
        if (k != FAIL && op.endsWith("BETWEEN")) {
            k = is(k, Type.LOGIC, "AND") ? unary(k + 1) : FAIL;
        }
        return k;
    }

    int unary(int i) {
        int j = i;
        SqlToken token = at(j);
        while (token != null && (token.is(Type.LOGIC, "NOT") || token.is(Type.OPERATOR) && UNARY.contains(token.text())
                || token.is(Type.BAREWORD, "BINARY") && at(j + 1) != null && !at(j + 1).is(Type.COMMENT))) {
            token = at(++j);
        }
        return primary(j);
    }

    private int primary(int i) {
        SqlToken token = at(i);
        if (token == null) {
            return FAIL;
        }
        switch (token.type()) {
            case NUMBER -> shape |= LITERAL;
            case COMPARISON -> shape |= COMPARE | LITERAL;
            case STRING -> {
                return strings(i);
            }
            // @@version is SQL; @name is also a mention in a chat ("fala com @maria")
            case VARIABLE -> shape |= token.text().startsWith("@@") ? VAR : WORD;
            case BAREWORD -> shape |= WORD;
            case FUNCTION -> {
                return call(i);
            }
            case PAREN_OPEN -> {
                return group(i);
            }
            case KEYWORD -> {
                return keywordOperand(i, token.text());
            }
            default -> {
                return FAIL;
            }
        }
        return i + 1;
    }

    /** Adjacent literals are one value in MySQL ({@code '' ' '}); words in any of them make it text. */
    private int strings(int i) {
        int j = i;
        boolean words = false;
        boolean open = false;
        for (SqlToken token = at(j); token != null && token.is(Type.STRING); token = at(++j)) {
            words |= hasLetter(token.text());
            open |= !token.closed();
        }
        shape |= (words ? TEXT : LITERAL) | (open ? UNCLOSED : 0);
        return j;
    }

    private int keywordOperand(int i, String word) {
        if (word.equals("EXISTS") && is(i + 1, Type.PAREN_OPEN) && is(i + 2, Type.KEYWORD, "SELECT")) {
            return group(i + 1);
        }
        if (word.equals("CASE") && nesting >= MAX_NESTING) {
            overflowed = true;
            return FAIL;
        }
        return word.equals("CASE") ? caseExpression(i) : FAIL;
    }

    /** {@code CASE [x] WHEN c THEN v [WHEN ...] [ELSE v] END}. */
    private int caseExpression(int i) {
        nesting++;
        int j = is(i + 1, Type.KEYWORD, "WHEN") ? i + 1 : expression(i + 1);
        int arms = 0;
        while (j != FAIL && is(j, Type.KEYWORD, "WHEN")) {
            j = condition(j + 1);
            j = j != FAIL && is(j, Type.KEYWORD, "THEN") ? condition(j + 1) : FAIL;
            arms++;
        }
        if (j != FAIL && is(j, Type.KEYWORD, "ELSE")) {
            j = condition(j + 1);
        }
        nesting--;
        if (j == FAIL || arms == 0 || !is(j, Type.KEYWORD, "END")) {
            return FAIL;
        }
        shape |= COMPARE | CONDITIONAL;
        return j + 1;
    }

    /** A function call; its arguments are skipped leniently (CAST(x AS int), SUBSTRING(x FROM 1 FOR 1)). */
    int call(int i) {
        String name = at(i).text();
        boolean dangerous = SqlTokenizer.isDangerous(name);
        boolean known = dangerous || SqlTokenizer.SQL_FUNCTIONS.contains(name);
        shape |= CALL;
        if (dangerous) {
            shape |= DANGER;
        } else if (known) {
            shape |= SQL_CALL | (name.equals("IF") || name.equals("IIF") ? CONDITIONAL : 0);
        }
        if (!is(i + 1, Type.PAREN_OPEN)) {
            return FAIL;
        }
        int outer = shape;
        int j = skipBalanced(i + 1);
        // The arguments of an unknown name ("entrega( = do, 10") are not evidence; a call inside them is.
        if (!known) {
            shape = outer | shape & (DANGER | SUBQUERY | CALL);
        }
        return j;
    }

    /**
     * A parenthesised subquery (its column list checked, the rest skipped) or condition list (parsed
     * strictly, so that prose in parentheses fails). A group left open at the end is accepted: the host
     * query closes it.
     */
    int group(int i) {
        if (nesting >= MAX_NESTING) {
            overflowed = true; // recursion is bounded; no real query nests this deep
            return FAIL;
        }
        nesting++;
        int j = is(i + 1, Type.KEYWORD, "SELECT") ? subquery(i) : conditionList(i + 1);
        nesting--;
        return j;
    }

    /** Conditions separated by commas, then the closing parenthesis or the end (the host query closes it). */
    private int conditionList(int i) {
        int j = condition(i);
        while (j != FAIL && is(j, Type.COMMA)) {
            j = condition(j + 1);
        }
        if (j == FAIL) {
            return FAIL;
        }
        if (is(j, Type.PAREN_CLOSE)) {
            return j + 1;
        }
        return j >= t.size() || is(j, Type.COMMENT) ? j : FAIL;
    }

    /** {@code (SELECT ...)}: a column list that is SQL, then anything up to the matching parenthesis. */
    private int subquery(int open) {
        int outer = shape;
        int head = statements.select(open + 2, SqlStatements.Select.NESTED);
        shape = outer | SUBQUERY;
        return head == FAIL ? FAIL : skipBalanced(open);
    }

    /** From an opening parenthesis to just after its match (or the end), noting calls and subqueries inside. */
    int skipBalanced(int open) {
        int depth = 0;
        for (int j = open; ; j++) {
            SqlToken token = at(j);
            if (token == null) {
                return exhausted() ? FAIL : t.size();
            }
            switch (token.type()) {
                case PAREN_OPEN -> depth++;
                case PAREN_CLOSE -> depth--;
                case FUNCTION -> shape |= SqlTokenizer.isDangerous(token.text()) ? DANGER | CALL : CALL;
                case KEYWORD -> shape |= token.text().equals("SELECT") ? SUBQUERY : 0;
                case VARIABLE -> shape |= token.text().startsWith("@@") ? VAR : 0;
                case NUMBER, STRING -> shape |= LITERAL;
                case COMPARISON -> shape |= COMPARE | LITERAL;
                case OPERATOR -> shape |= SqlTokenizer.isComparison(token.text()) ? COMPARE : 0;
                default -> {
                }
            }
            if (depth == 0) {
                return j + 1;
            }
        }
    }

    static boolean hasLetter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isLetter(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
