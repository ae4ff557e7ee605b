package br.com.reistech.sanitization;

import static br.com.reistech.sanitization.SqlGrammar.FAIL;

import br.com.reistech.sanitization.SqlToken.Type;
import java.util.Set;

/**
 * Recognises the statements and SELECT lists that an injection appends or stacks, on top of the
 * expression parsing of {@link SqlGrammar}. Only heads that are unmistakably SQL count: a statement
 * keyword followed by what that statement needs ({@code DROP TABLE x}, {@code EXEC xp_cmdshell '..'},
 * {@code DECLARE @v}), a column list that is not a run of words. Methods return the index after the
 * recognised part, or {@link SqlGrammar#FAIL}.
 */
final class SqlStatements {

    /** Statements that SQL Server runs after another without separator: 1 EXEC xp_cmdshell 'dir'. */
    private static final Set<String> BATCHED = Set.of(
            "DROP", "TRUNCATE", "ALTER", "CREATE", "INSERT", "UPDATE", "DELETE", "WAITFOR", "DECLARE", "SHUTDOWN",
            "EXEC", "EXECUTE", "IF");
    private static final Set<String> DROPPABLE = Set.of(
            "DATABASE", "SCHEMA", "USER", "LOGIN", "VIEW", "INDEX", "TRIGGER", "FUNCTION", "ROLE", "EVENT");

    /** Shapes that make a SELECT item SQL on their own. */
    private static final int STRONG = SqlGrammar.SQL_CALL | SqlGrammar.DANGER | SqlGrammar.SUBQUERY | SqlGrammar.VAR
            | SqlGrammar.CONDITIONAL;

    /**
     * Where a SELECT stands, which sets how much of its column list must be SQL: a statement of its own,
     * a list after UNION or a separator, a subquery in parentheses in operand position.
     */
    enum Select { STATEMENT, LISTED, NESTED }

    private final SqlGrammar g;

    SqlStatements(SqlGrammar grammar) {
        this.g = grammar;
    }

    /** {@code UNION SELECT ...} or {@code UNION (SELECT ...)}; with {@code bare}, a lone UNION SELECT too. */
    int union(int i, boolean bare) {
        int j = i + 1;
        boolean paren = g.is(j, Type.PAREN_OPEN);
        if (paren) {
            j++;
        }
        if (!g.is(j, Type.KEYWORD, "SELECT")) {
            return FAIL;
        }
        if (bare && (j + 1 >= g.size() || g.is(j + 1, Type.COMMENT))) {
            return j + 1;
        }
        return select(j + 1, Select.LISTED);
    }

    /**
     * The rest of a SELECT that is SQL rather than a sentence. An item is SQL when it is {@code *}, a
     * known function call, a system variable, a subquery, a condition or a comparison with a literal;
     * a number or closed quoted text is enough after UNION or a separator ({@code UNION SELECT NULL},
     * {@code ; SELECT 1}) or as one of several items, and a lone name inside parentheses
     * ({@code (SELECT current_user)}). Plain words need a FROM that ends like SQL, and never take an
     * alias without AS: "select o azul, please" and "select 2 unidades" are sentences.
     */
    int select(int i, Select where) {
        int j = i;
        if (g.is(j, Type.KEYWORD, "DISTINCT") || g.is(j, Type.KEYWORD, "ALL")) {
            j++;
        }
        if (g.is(j, Type.BAREWORD, "TOP") && g.is(j + 1, Type.NUMBER)) {
            j += 2; // SQL Server's SELECT TOP n
        }
        boolean sql = false;
        boolean values = false;
        boolean words = false;
        boolean bareAlias = false;
        int items = 0;
        while (true) {
            g.shape = 0;
            boolean star = g.is(j, Type.OPERATOR, "*");
            int next = star ? j + 1 : g.condition(j);
            if (next == FAIL) {
                return FAIL;
            }
            int shape = g.shape;
            boolean literal = (shape & SqlGrammar.LITERAL) != 0;
            sql |= star || (shape & STRONG) != 0 || literal && (shape & SqlGrammar.COMPARE) != 0;
            // "50% de", "'#12345 + celular ..." (never closed): values mixed with words are prose
            values |= (literal || (shape & SqlGrammar.TEXT) != 0)
                    && (shape & (SqlGrammar.WORD | SqlGrammar.UNCLOSED)) == 0;
            words |= shape == SqlGrammar.WORD;
            bareAlias |= g.is(next, Type.BAREWORD);
            items++;
            j = alias(next);
            if (!g.is(j, Type.COMMA)) {
                break;
            }
            j++;
        }
        if (bareAlias && !sql) {
            return FAIL;
        }
        if (g.is(j, Type.KEYWORD, "FROM")) {
            return source(j + 1, sql || values);
        }
        boolean enough = sql || values && (where != Select.STATEMENT || items > 1)
                || where == Select.NESTED && words && items == 1 && g.is(j, Type.PAREN_CLOSE);
        boolean ends = g.terminator(j) || g.is(j, Type.PAREN_CLOSE) || g.is(j, Type.KEYWORD, "WHERE");
        return enough && !bareAlias && ends ? j : FAIL;
    }

    /** The source after FROM; after a list of plain words it must end like SQL ("from clientes where"). */
    private int source(int k, boolean valued) {
        SqlToken source = g.at(k);
        if (source == null || !(source.is(Type.BAREWORD) || source.is(Type.FUNCTION) || source.is(Type.PAREN_OPEN))) {
            return FAIL;
        }
        if (valued || !source.is(Type.BAREWORD)) {
            return k + 1;
        }
        int after = g.is(k + 1, Type.BAREWORD) ? k + 2 : k + 1;
        boolean ends = g.terminator(after) || g.is(after, Type.PAREN_CLOSE) || g.is(after, Type.KEYWORD, "JOIN")
                || g.is(after, Type.COMMA);
        return ends ? after : FAIL;
    }

    private int alias(int j) {
        if (g.is(j, Type.KEYWORD, "AS") && (g.is(j + 1, Type.BAREWORD) || g.is(j + 1, Type.STRING))) {
            return j + 2;
        }
        return g.is(j, Type.BAREWORD) ? j + 1 : j;
    }

    /**
     * The head of a statement that is unmistakably SQL (a keyword followed by what that statement
     * needs: {@code DROP TABLE x}, {@code EXEC name}, {@code DECLARE @v}, ...). {@code separated}: the
     * statement starts after a semicolon or at the start of the input, where every statement counts;
     * without separator (SQL Server batches) only {@link #BATCHED} ones do, since a quoted "select * from
     * x" in a sentence would otherwise be one.
     */
    int statement(int i, boolean separated) {
        SqlToken head = g.at(i);
        if (head == null || !head.is(Type.KEYWORD) || !separated && !BATCHED.contains(head.text())) {
            return FAIL;
        }
        SqlToken next = g.at(i + 1);
        boolean name = next != null && (next.is(Type.BAREWORD) || next.is(Type.FUNCTION));
        return switch (head.text()) {
            case "SELECT" -> select(i + 1, i > 0 && g.is(i - 1, Type.SEMICOLON) ? Select.LISTED : Select.STATEMENT);
            case "INSERT", "REPLACE" -> next != null && next.is(Type.KEYWORD, "INTO") && nameAt(i + 2)
                    && (g.is(i + 2, Type.FUNCTION) || g.is(i + 3, Type.PAREN_OPEN)
                    || g.is(i + 3, Type.KEYWORD, "VALUES") || g.is(i + 3, Type.KEYWORD, "SELECT")
                    || g.is(i + 3, Type.KEYWORD, "SET")) ? i + 3 : FAIL;
            case "UPDATE" -> name && g.is(i + 2, Type.KEYWORD, "SET") && g.is(i + 3, Type.BAREWORD)
                    && g.is(i + 4, Type.OPERATOR, "=") ? i + 5 : FAIL;
            case "DELETE" -> next != null && next.is(Type.KEYWORD, "FROM") && nameAt(i + 2)
                    && (g.terminator(i + 3) || g.is(i + 3, Type.KEYWORD, "WHERE")) ? i + 3 : FAIL;
            case "DROP", "TRUNCATE", "ALTER", "CREATE" -> droppable(next) && nameAt(i + 2)
                    && objectEnds(i + 3, head.text()) ? i + 3 : FAIL;
            case "EXEC", "EXECUTE" -> execution(i + 1, separated);
            case "DECLARE" -> next != null && next.is(Type.VARIABLE) ? i + 2 : FAIL;
            case "SHUTDOWN", "RECONFIGURE" -> (separated || head.text().equals("SHUTDOWN"))
                    && (next == null || next.is(Type.COMMENT) || next.is(Type.SEMICOLON)) ? i + 1 : FAIL;
            case "WAITFOR" -> waitfor(i);
            case "SET" -> separated && next != null && next.is(Type.VARIABLE)
                    && (g.is(i + 2, Type.OPERATOR, "=") || g.is(i + 2, Type.OPERATOR, ":=")) ? i + 3 : FAIL;
            // Not DESC: it also abbreviates "desconto". DESCRIBE only where a separator or comment ends it.
            case "DESCRIBE" -> separated && name
                    && (g.is(i + 2, Type.SEMICOLON) || g.is(i + 2, Type.COMMENT)) ? i + 2 : FAIL;
            case "COPY" -> copy(i + 1);
            case "GRANT", "REVOKE" -> next != null && next.is(Type.KEYWORD) ? permission(i + 1) : FAIL;
            case "IF" -> ifStatement(i + 1);
            case "BEGIN" -> statement(i + 1, true);
            case "LOAD" -> next != null && next.is(Type.BAREWORD, "DATA")
                    && (g.is(i + 2, Type.KEYWORD, "INFILE") || g.is(i + 2, Type.BAREWORD, "LOCAL")) ? i + 3 : FAIL;
            case "CALL" -> next != null && next.is(Type.FUNCTION) ? g.call(i + 1) : FAIL;
            default -> FAIL;
        };
    }

    /** What may follow {@code DROP TABLE x}: the end of the statement; CREATE/ALTER also take a definition. */
    private boolean objectEnds(int i, String verb) {
        if (g.terminator(i) || g.is(i, Type.COMMA)) {
            return true;
        }
        boolean defines = verb.equals("CREATE") || verb.equals("ALTER");
        return defines && (g.is(i - 1, Type.FUNCTION) || g.is(i, Type.PAREN_OPEN) || g.is(i, Type.KEYWORD)
                || g.is(i, Type.BAREWORD, "ADD") || g.is(i, Type.BAREWORD, "WITH")
                || g.is(i, Type.BAREWORD, "IDENTIFIED"));
    }

    /**
     * What EXEC runs: a system procedure ({@code xp_cmdshell}, {@code sp_configure}), {@code ('...')} or
     * {@code (@sql)}, {@code @sql}, or a procedure with a literal argument that the statement ends with
     * ({@code EXECUTE IMMEDIATE 'DROP ...'}). "exec" before a sentence is none of these.
     */
    private int execution(int i, boolean separated) {
        SqlToken target = g.at(i);
        if (target == null) {
            return FAIL;
        }
        if ((target.is(Type.BAREWORD) || target.is(Type.FUNCTION)) && SqlTokenizer.isSystemProcedure(target.text())) {
            return i + 1;
        }
        if (target.is(Type.VARIABLE)) {
            return g.terminator(i + 1) ? i + 1 : FAIL;
        }
        if (target.is(Type.PAREN_OPEN)) {
            return g.is(i + 1, Type.STRING) || g.is(i + 1, Type.VARIABLE) ? i + 2 : FAIL;
        }
        if (!target.is(Type.BAREWORD) || !separated) {
            return FAIL; // "12345 exec O'Connor ...": only a system procedure runs without separator
        }
        int j = i + 1;
        int arguments = 0;
        while (literal(g.at(j))) {
            arguments++;
            j++;
            if (!g.is(j, Type.COMMA)) {
                break;
            }
            j++;
        }
        if (arguments > 0 && g.terminator(j)) {
            return j;
        }
        boolean qualified = target.text().indexOf('.') > 0; // master.dbo.proc
        return qualified && g.terminator(i + 1) ? i + 1 : FAIL;
    }

    private static boolean literal(SqlToken token) {
        return token != null
                && (token.is(Type.STRING) && token.closed() || token.is(Type.NUMBER) || token.is(Type.VARIABLE));
    }

    private boolean nameAt(int i) {
        return g.is(i, Type.BAREWORD) || g.is(i, Type.FUNCTION);
    }

    private static boolean droppable(SqlToken object) {
        return object != null && (object.is(Type.KEYWORD, "TABLE") || object.is(Type.KEYWORD, "PROCEDURE")
                || object.is(Type.BAREWORD) && DROPPABLE.contains(object.text()));
    }

    /** {@code WAITFOR DELAY '0:0:5'} / {@code WAITFOR TIME '...'}. */
    int waitfor(int i) {
        boolean unit = g.is(i + 1, Type.KEYWORD, "DELAY") || g.is(i + 1, Type.BAREWORD, "TIME");
        return unit && (g.is(i + 2, Type.STRING) || g.is(i + 2, Type.VARIABLE)) ? i + 3 : FAIL;
    }

    /** {@code COPY table|(query) FROM|TO PROGRAM|'file'} (PostgreSQL command execution and file access). */
    private int copy(int i) {
        int j = g.is(i, Type.PAREN_OPEN) ? g.skipBalanced(i) : nameAt(i) ? i + 1 : FAIL;
        if (j == FAIL || !(g.is(j, Type.KEYWORD, "FROM") || g.is(j, Type.BAREWORD, "TO"))) {
            return FAIL;
        }
        return g.is(j + 1, Type.KEYWORD, "PROGRAM") || g.is(j + 1, Type.STRING) ? j + 2 : FAIL;
    }

    private int permission(int i) {
        for (int j = i; j < i + 8; j++) {
            if (g.is(j, Type.BAREWORD, "ON") || g.is(j, Type.BAREWORD, "TO")) {
                return j > i ? j + 1 : FAIL;
            }
        }
        return FAIL;
    }

    /** SQL Server's {@code IF condition statement} (blind tests: {@code IF (1=1) WAITFOR DELAY ...}). */
    private int ifStatement(int i) {
        g.shape = 0;
        int j = g.condition(i);
        return j == FAIL || (g.shape & SqlGrammar.SQL_SIGNS) == 0 ? FAIL : statement(j, false);
    }
}
