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
 * <p>Every token read costs one unit of a budget proportional to the stream's length; a parse that
 * exhausts it fails, so no input can make the recogniser super-linear.
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
    /** Anything that prose does not produce on its own. */
    static final int SQL_SIGNS = LITERAL | COMPARE | ARITH | CALL | SQL_CALL | DANGER | SUBQUERY | VAR;

    /** Clauses that may follow a complete condition in a host query. */
    private static final Set<String> CLAUSES = Set.of(
            "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "INTO", "PROCEDURE", "WAITFOR", "FROM", "WHERE");
    private static final Set<String> UNARY = Set.of("-", "+", "~", "!");
    private static final Set<String> DROPPABLE = Set.of(
            "DATABASE", "SCHEMA", "USER", "LOGIN", "VIEW", "INDEX", "TRIGGER", "FUNCTION", "ROLE", "EVENT");

    private final List<SqlToken> t;
    private long budget;
    int shape;

    SqlGrammar(List<SqlToken> tokens) {
        this.t = tokens;
        this.budget = 64L * tokens.size() + 4096;
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

    boolean exhausted() {
        return budget < 0;
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

    /** Connector operand (connector operand)*, no operand plain prose, at least one SQL-like. */
    int truthChain(int i) {
        int j = i;
        int all = 0;
        while (connector(j)) {
            shape = 0;
            int next = expression(j + 1);
            if (next == FAIL || (shape & SQL_SIGNS) == 0 && !textIsLiteral(j + 1, next)) {
                return FAIL;
            }
            all |= shape;
            j = next;
        }
        shape = all;
        return j == i ? FAIL : j;
    }

    /** A lone string operand counts as SQL when it is not words: {@code ''}, {@code '1'}, {@code '='}. */
    private boolean textIsLiteral(int from, int to) {
        return to == from + 1 && is(from, Type.STRING) && !hasLetter(at(from).text());
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
        while (token != null && (token.is(Type.LOGIC, "NOT") || token.is(Type.OPERATOR) && UNARY.contains(token.text()))) {
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
            case COMPARISON -> shape |= COMPARE;
            case STRING -> shape |= hasLetter(token.text()) ? TEXT : LITERAL;
            case VARIABLE -> shape |= VAR;
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

    private int keywordOperand(int i, String word) {
        if (word.equals("EXISTS") && is(i + 1, Type.PAREN_OPEN)) {
            shape |= SUBQUERY;
            return skipBalanced(i + 1);
        }
        if (word.equals("CASE")) {
            shape |= COMPARE;
            int j = i + 1;
            while (at(j) != null && !at(j).is(Type.KEYWORD, "END")) {
                j++;
            }
            return exhausted() ? FAIL : Math.min(j + 1, t.size());
        }
        return FAIL;
    }

    /** A function call; its arguments are skipped leniently (CAST(x AS int), SUBSTRING(x FROM 1 FOR 1)). */
    int call(int i) {
        String name = at(i).text();
        shape |= CALL;
        if (SqlTokenizer.isDangerous(name)) {
            shape |= DANGER;
        } else if (SqlTokenizer.SQL_FUNCTIONS.contains(name)) {
            shape |= SQL_CALL;
        }
        return is(i + 1, Type.PAREN_OPEN) ? skipBalanced(i + 1) : FAIL;
    }

    /**
     * A parenthesised subquery (skipped leniently) or condition list (parsed strictly, so that prose in
     * parentheses fails). A group left open at the end is accepted: the host query closes it.
     */
    int group(int i) {
        if (is(i + 1, Type.KEYWORD, "SELECT")) {
            shape |= SUBQUERY;
            return skipBalanced(i);
        }
        int j = condition(i + 1);
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
                case VARIABLE -> shape |= VAR;
                default -> {
                }
            }
            if (depth == 0) {
                return j + 1;
            }
        }
    }

    /** {@code UNION SELECT ...} or {@code UNION (SELECT ...)}; with {@code bare}, a lone UNION SELECT too. */
    int union(int i, boolean bare) {
        int j = i + 1;
        boolean paren = is(j, Type.PAREN_OPEN);
        if (paren) {
            j++;
        }
        if (!is(j, Type.KEYWORD, "SELECT")) {
            return FAIL;
        }
        if (bare && (j + 1 >= t.size() || is(j + 1, Type.COMMENT))) {
            return j + 1;
        }
        return select(j + 1);
    }

    /**
     * The rest of a SELECT that is SQL rather than a sentence: several items, or an item that is not a
     * plain word ({@code *}, number, string, call, variable), or a {@code FROM} with a source.
     */
    int select(int i) {
        int j = i;
        if (is(j, Type.KEYWORD, "DISTINCT") || is(j, Type.KEYWORD, "ALL")) {
            j++;
        }
        boolean strong = false;
        int items = 0;
        while (true) {
            shape = 0;
            int next = is(j, Type.OPERATOR, "*") ? j + 1 : condition(j);
            if (next == FAIL) {
                return FAIL;
            }
            strong |= next == j + 1 && is(j, Type.OPERATOR, "*") || (shape & (SQL_SIGNS | TEXT)) != 0;
            items++;
            j = alias(next);
            if (!is(j, Type.COMMA)) {
                break;
            }
            j++;
        }
        if (is(j, Type.KEYWORD, "FROM")) {
            SqlToken source = at(j + 1);
            boolean named = source != null && (source.is(Type.BAREWORD) || source.is(Type.FUNCTION)
                    || source.is(Type.PAREN_OPEN));
            return named ? j + 2 : FAIL;
        }
        return (strong || items > 1) && (terminator(j) || is(j, Type.KEYWORD, "WHERE")) ? j : FAIL;
    }

    private int alias(int j) {
        if (is(j, Type.KEYWORD, "AS") && (is(j + 1, Type.BAREWORD) || is(j + 1, Type.STRING))) {
            return j + 2;
        }
        return is(j, Type.BAREWORD) ? j + 1 : j;
    }

    /**
     * The head of a statement that is unmistakably SQL (a keyword followed by what that statement
     * needs: {@code DROP TABLE x}, {@code EXEC name}, {@code DECLARE @v}, ...). {@code separated}: the
     * statement starts after a semicolon or at the start of the input, where also SET, DESC and
     * RECONFIGURE are statements.
     */
    int statement(int i, boolean separated) {
        SqlToken head = at(i);
        if (head == null || !head.is(Type.KEYWORD)) {
            return FAIL;
        }
        SqlToken next = at(i + 1);
        boolean name = next != null && (next.is(Type.BAREWORD) || next.is(Type.FUNCTION));
        return switch (head.text()) {
            case "SELECT" -> select(i + 1);
            case "INSERT", "REPLACE" -> next != null && next.is(Type.KEYWORD, "INTO") && nameAt(i + 2) ? i + 3 : FAIL;
            case "UPDATE" -> name && is(i + 2, Type.KEYWORD, "SET") ? i + 3 : FAIL;
            case "DELETE" -> next != null && next.is(Type.KEYWORD, "FROM") && nameAt(i + 2) ? i + 3 : FAIL;
            case "DROP", "TRUNCATE", "ALTER", "CREATE" -> droppable(next) && nameAt(i + 2) ? i + 3 : FAIL;
            case "EXEC", "EXECUTE" -> name || next != null && (next.is(Type.STRING) || next.is(Type.VARIABLE)
                    || next.is(Type.PAREN_OPEN)) ? i + 2 : FAIL;
            case "DECLARE" -> next != null && next.is(Type.VARIABLE) ? i + 2 : FAIL;
            case "SHUTDOWN", "RECONFIGURE" -> (separated || head.text().equals("SHUTDOWN"))
                    && (next == null || next.is(Type.COMMENT) || next.is(Type.SEMICOLON)) ? i + 1 : FAIL;
            case "WAITFOR" -> waitfor(i);
            case "SET" -> separated && next != null && next.is(Type.VARIABLE) ? i + 2 : FAIL;
            case "DESC", "DESCRIBE" -> separated && name && terminator(i + 2) ? i + 2 : FAIL;
            case "COPY" -> copy(i + 1);
            case "GRANT", "REVOKE" -> permission(i + 1);
            case "IF" -> ifStatement(i + 1);
            case "BEGIN" -> statement(i + 1, true);
            case "LOAD" -> next != null && next.is(Type.BAREWORD, "DATA") ? i + 2 : FAIL;
            case "CALL" -> next != null && next.is(Type.FUNCTION) ? call(i + 1) : FAIL;
            default -> FAIL;
        };
    }

    private boolean nameAt(int i) {
        return is(i, Type.BAREWORD) || is(i, Type.FUNCTION);
    }

    private static boolean droppable(SqlToken object) {
        return object != null && (object.is(Type.KEYWORD, "TABLE") || object.is(Type.KEYWORD, "PROCEDURE")
                || object.is(Type.BAREWORD) && DROPPABLE.contains(object.text()));
    }

    /** {@code WAITFOR DELAY '0:0:5'} / {@code WAITFOR TIME '...'}. */
    int waitfor(int i) {
        boolean unit = is(i + 1, Type.KEYWORD, "DELAY") || is(i + 1, Type.BAREWORD, "TIME");
        return unit && (is(i + 2, Type.STRING) || is(i + 2, Type.VARIABLE)) ? i + 3 : FAIL;
    }

    /** {@code COPY table|(query) FROM|TO PROGRAM|'file'} (PostgreSQL command execution and file access). */
    private int copy(int i) {
        int j = is(i, Type.PAREN_OPEN) ? skipBalanced(i) : nameAt(i) ? i + 1 : FAIL;
        if (j == FAIL || !(is(j, Type.KEYWORD, "FROM") || is(j, Type.BAREWORD, "TO"))) {
            return FAIL;
        }
        return is(j + 1, Type.KEYWORD, "PROGRAM") || is(j + 1, Type.STRING) ? j + 2 : FAIL;
    }

    private int permission(int i) {
        for (int j = i; j < i + 8; j++) {
            if (is(j, Type.BAREWORD, "ON") || is(j, Type.BAREWORD, "TO")) {
                return j > i ? j + 1 : FAIL;
            }
        }
        return FAIL;
    }

    /** SQL Server's {@code IF condition statement} (blind tests: {@code IF (1=1) WAITFOR DELAY ...}). */
    private int ifStatement(int i) {
        shape = 0;
        int j = condition(i);
        return j == FAIL || (shape & SQL_SIGNS) == 0 ? FAIL : statement(j, false);
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
