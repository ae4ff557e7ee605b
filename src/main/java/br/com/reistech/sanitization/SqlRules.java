package br.com.reistech.sanitization;

import static br.com.reistech.sanitization.SqlGrammar.COMPARE;
import static br.com.reistech.sanitization.SqlGrammar.CONDITIONAL;
import static br.com.reistech.sanitization.SqlGrammar.DANGER;
import static br.com.reistech.sanitization.SqlGrammar.FAIL;
import static br.com.reistech.sanitization.SqlGrammar.LITERAL;
import static br.com.reistech.sanitization.SqlGrammar.SQL_CALL;
import static br.com.reistech.sanitization.SqlGrammar.SUBQUERY;
import static br.com.reistech.sanitization.SqlGrammar.VAR;

import br.com.reistech.sanitization.SqlToken.Type;
import java.util.List;

/**
 * The injection rules, applied to the folded tokens of one context. A rule fires only on a complete
 * structure that a host query would execute, which is what keeps prose out: a sentence may contain
 * an apostrophe, "or", "select" or "1=1", but not a break-out followed by a well-formed condition,
 * UNION SELECT column list, stacked statement or dangerous call.
 */
final class SqlRules {

    /** What fired, with the score it gives: how sure a match of it is an attack. */
    enum Rule {
        TAUTOLOGY(90), UNION_SELECT(100), STACKED_QUERY(100), DANGEROUS_CALL(95), TIME_DELAY(100),
        COMMENT_TRUNCATION(85), CLAUSE_PROBE(85), OPERATOR_BREAK(80), SUBQUERY(90), FILE_ACCESS(100),
        CONDITIONAL_PROBE(85), UNPARSEABLE(70);

        final int score;

        Rule(int score) {
            this.score = score;
        }
    }

    /** A fired rule and the token range that decided it. */
    record Match(Rule rule, int from, int to) {
    }

    /**
     * Where the input sits in the host query: right after a closed string ({@code STRING}), after a
     * closing parenthesis ({@code PAREN}), after a leading number or literal ({@code VALUE}), after a
     * leading plain word ({@code WORD}), or at the start of an SQL fragment ({@code FRAGMENT}).
     */
    private enum Mode { STRING, PAREN, VALUE, WORD, FRAGMENT }

    /** Calls of functions SQL knows (CONCAT, SLEEP, ...): "cartão(" is a word with a parenthesis. */
    private static final int KNOWN_CALL = SQL_CALL | DANGER;

    private final List<SqlToken> t;
    private final SqlGrammar g;
    private final SqlStatements st;
    /** Whether a trailing comment right after the break-out would cut the host query ({@code admin'--}). */
    private boolean truncatable;

    private SqlRules(List<SqlToken> tokens) {
        this.t = tokens;
        this.g = new SqlGrammar(tokens);
        this.st = g.statements();
    }

    /** Rules for a context whose first token is the closed string that the input broke out of. */
    static Match inQuotedContext(List<SqlToken> tokens) {
        SqlRules rules = new SqlRules(tokens);
        rules.truncatable = isShortValue(tokens.get(0));
        Match match = rules.afterValue(1, Mode.STRING);
        return match != null ? match : rules.anywhere(1);
    }

    /**
     * Whether the closed literal is a short value such as a user name ({@code admin'--}), not the end of a
     * sentence ("o produto chegou' -- ótimo") nor a measure in inches (6,1" -- 27" --).
     */
    private static boolean isShortValue(SqlToken opening) {
        String text = opening.text();
        boolean inches = opening.quote() == '"' && !text.isEmpty() && Character.isDigit(text.charAt(text.length() - 1));
        return !inches && text.length() <= 64 && text.chars().noneMatch(c -> SqlTokenizer.isWhitespace((char) c));
    }

    /** Rules for the input read as it is: a number-context value, an SQL fragment or text. */
    static Match asIs(List<SqlToken> tokens) {
        if (tokens.isEmpty()) {
            return null;
        }
        SqlRules rules = new SqlRules(tokens);
        rules.truncatable = true;
        SqlToken first = tokens.get(0);
        Match match = switch (first.type()) {
            case NUMBER, COMPARISON, VARIABLE -> rules.afterValue(1, Mode.VALUE);
            case STRING -> first.closed() ? rules.afterValue(1, Mode.VALUE) : null;
            case BAREWORD -> rules.afterValue(1, Mode.WORD);
            case PAREN_CLOSE -> rules.afterValue(0, Mode.PAREN);
            case PAREN_OPEN -> rules.subqueryAtStart();
            case FUNCTION -> rules.conditionalAtStart();
            default -> rules.afterValue(0, Mode.FRAGMENT);
        };
        return match != null ? match : rules.anywhere(0);
    }

    private Match afterValue(int p, Mode mode) {
        int q = p;
        while (g.is(q, Type.PAREN_CLOSE)) {
            q++;
        }
        boolean brokeOut = mode == Mode.STRING || mode == Mode.PAREN || q > p;
        SqlToken next = g.at(q);
        if (next == null || mode == Mode.WORD && !next.is(Type.LOGIC) && !next.is(Type.UNION)) {
            return null;
        }
        return switch (next.type()) {
            case COMMENT -> brokeOut && truncatable && !next.isWordyComment()
                    ? new Match(Rule.COMMENT_TRUNCATION, 0, q) : null;
            case LOGIC -> tautology(q, mode);
            case UNION -> unionSelect(q, mode != Mode.FRAGMENT && mode != Mode.WORD);
            case SEMICOLON -> stacked(q, brokeOut);
            case OPERATOR -> operatorBreak(q, mode);
            case KEYWORD -> clause(q, mode, brokeOut);
            default -> null;
        };
    }

    /** {@code ' OR 1=1}, {@code 1 AND sleep(5)}, {@code ') OR ('a'='a}: a condition the host query ANDs/ORs in. */
    private Match tautology(int q, Mode mode) {
        int j = g.truthChain(q);
        if (j == FAIL || !g.terminator(j)) {
            return null;
        }
        int shape = g.shape;
        if ((shape & (COMPARE | KNOWN_CALL | SUBQUERY | VAR | CONDITIONAL)) == 0) {
            // Only literals (' OR 1--, or true--): sure after a short break-out, or a number ending a
            // whole fragment; "pedido' or 12345", "tamanho M or 38", "and not \"" are sentences.
            SqlToken after = g.at(j);
            boolean ends = after == null || after.is(Type.COMMENT) && !after.isWordyComment();
            boolean numbers = (shape & SqlGrammar.WORD) == 0 && g.is(j - 1, Type.NUMBER);
            boolean sure = mode == Mode.STRING ? truncatable && (shape & SqlGrammar.WORD) == 0
                    : mode != Mode.WORD && ends && numbers;
            if (!sure) {
                return null;
            }
        }
        boolean words = (shape & (LITERAL | SqlGrammar.TEXT | KNOWN_CALL | SUBQUERY | VAR | CONDITIONAL)) == 0;
        if (words && !(mode == Mode.PAREN || mode == Mode.STRING && truncatable)) {
            return null; // "or anything like that": words compared with words; admin' OR a=a is short
        }
        return new Match(ruleFor(g.shape, Rule.TAUTOLOGY), 0, j);
    }

    private Match unionSelect(int q, boolean bare) {
        int j = st.union(q, bare);
        return j == FAIL ? null : new Match(Rule.UNION_SELECT, 0, j);
    }

    /** {@code '; DROP TABLE x}, or {@code ';--} (a separator then a comment cuts the query like {@code '--}). */
    private Match stacked(int q, boolean brokeOut) {
        int j = st.statement(q + 1, true);
        if (j != FAIL) {
            return new Match(Rule.STACKED_QUERY, 0, j);
        }
        SqlToken comment = g.at(q + 1);
        boolean cut = comment != null && comment.is(Type.COMMENT) && !comment.isWordyComment();
        return brokeOut && truncatable && cut ? new Match(Rule.COMMENT_TRUNCATION, 0, q + 1) : null;
    }

    /**
     * The value before is the left operand: {@code '='}, {@code '-'} (MySQL's {@code ''-''} matches every
     * row), {@code '+(SELECT ...)+'}, {@code 1*sleep(5)}. Arithmetic on a number alone is not an attack.
     */
    private Match operatorBreak(int q, Mode mode) {
        g.shape = 0;
        int j = q;
        while (j != FAIL && g.is(j, Type.OPERATOR)) {
            j = g.operatorTail(j);
        }
        if (j == FAIL) {
            return null;
        }
        int shape = g.shape;
        boolean endsInString = g.is(j - 1, Type.STRING);
        // 1 RLIKE 1: a pattern match between numbers only exists in SQL
        boolean pattern = SqlTokenizer.PATTERN_OPERATORS.contains(g.at(q).text()) && g.is(0, Type.NUMBER);
        if (g.connector(j)) {
            j = g.truthChain(j);
            shape |= g.shape;
        }
        if (j == FAIL || !g.terminator(j)) {
            return null;
        }
        if ((shape & (DANGER | SUBQUERY | SQL_CALL)) != 0) {
            return new Match(ruleFor(shape, Rule.SUBQUERY), 0, j);
        }
        // A comparison with plain words is a measure in prose (Monitor 27" = 68cm), not SQL.
        boolean values = (shape & (LITERAL | KNOWN_CALL | VAR)) != 0;
        boolean sql = (shape & (COMPARE | KNOWN_CALL | VAR)) != 0 && values;
        boolean literal = (shape & LITERAL) != 0 && (shape & SqlGrammar.TEXT) == 0;
        boolean applies = mode == Mode.STRING && truncatable && (sql || endsInString && literal)
                || mode == Mode.VALUE && pattern && literal;
        return applies ? new Match(Rule.OPERATOR_BREAK, 0, j) : null;
    }

    /** Clauses appended to the host query, or a statement run after it without separator (SQL Server). */
    private Match clause(int q, Mode mode, boolean brokeOut) {
        String word = g.at(q).text();
        Match match = switch (word) {
            case "ORDER BY", "GROUP BY" -> orderBy(q, mode != Mode.FRAGMENT);
            case "HAVING" -> having(q);
            case "LIMIT" -> brokeOut && truncatable ? limit(q) : null;
            case "INTO" -> into(q);
            case "PROCEDURE" -> g.is(q + 1, Type.FUNCTION) ? new Match(Rule.CLAUSE_PROBE, 0, q + 2) : null;
            case "WAITFOR" -> timeDelay(q, 0);
            default -> null;
        };
        if (match != null) {
            return match;
        }
        int j = st.statement(q, mode == Mode.FRAGMENT);
        return j == FAIL ? null : new Match(Rule.STACKED_QUERY, 0, j);
    }

    /**
     * {@code ORDER BY 3--} (column-count probing), {@code GROUP BY x HAVING 1=1}, {@code ORDER BY sleep(5)}.
     * At the start of a fragment, a list of plain words ("order by price") is not enough.
     */
    private Match orderBy(int q, boolean wordsSuffice) {
        g.shape = 0;
        int j = q + 1;
        int items = 0;
        while (true) {
            int k = g.expression(j);
            if (k == FAIL) {
                break; // a trailing comma is tolerated: GROUP BY 1,2,--
            }
            items++;
            j = g.is(k, Type.KEYWORD, "ASC") || g.is(k, Type.KEYWORD, "DESC") ? k + 1 : k;
            if (!g.is(j, Type.COMMA)) {
                break;
            }
            j++;
        }
        int shape = g.shape;
        if (items > 0 && g.is(j, Type.KEYWORD, "HAVING")) {
            return having(j);
        }
        boolean sql = wordsSuffice || (shape & (LITERAL | KNOWN_CALL | SUBQUERY)) != 0;
        return items > 0 && sql && g.terminator(j) ? new Match(ruleFor(shape, Rule.CLAUSE_PROBE), 0, j) : null;
    }

    private Match having(int q) {
        g.shape = 0;
        int j = g.condition(q + 1);
        int shape = g.shape;
        boolean sql = (shape & (KNOWN_CALL | SUBQUERY | CONDITIONAL)) != 0
                || (shape & (COMPARE | LITERAL)) == (COMPARE | LITERAL);
        return j != FAIL && sql && g.terminator(j) ? new Match(ruleFor(g.shape, Rule.CLAUSE_PROBE), 0, j) : null;
    }

    private Match limit(int q) {
        int j = q + 1;
        if (!g.is(j, Type.NUMBER) || !g.at(j).text().chars().allMatch(Character::isDigit)) {
            return null;
        }
        j++;
        if ((g.is(j, Type.COMMA) || g.is(j, Type.KEYWORD, "OFFSET")) && g.is(j + 1, Type.NUMBER)) {
            j += 2;
        }
        return g.terminator(j) ? new Match(Rule.CLAUSE_PROBE, 0, j) : null;
    }

    private Match timeDelay(int q, int from) {
        int j = st.waitfor(q);
        return j == FAIL ? null : new Match(Rule.TIME_DELAY, from, j);
    }

    /** {@code INTO OUTFILE '/var/www/x.php'}: writing files from the database server. */
    private Match into(int q) {
        boolean file = g.is(q + 1, Type.KEYWORD, "OUTFILE") || g.is(q + 1, Type.KEYWORD, "DUMPFILE");
        return file && g.is(q + 2, Type.STRING) ? new Match(Rule.FILE_ACCESS, 0, q + 3) : null;
    }

    /**
     * {@code (SELECT ...)} or {@code (CASE WHEN ...)} as a whole input: a subquery or blind condition in
     * a numeric or ORDER BY context.
     */
    private Match subqueryAtStart() {
        g.shape = 0;
        int j = g.group(0);
        boolean sql = (g.shape & (SUBQUERY | CONDITIONAL | DANGER)) != 0;
        Rule rule = (g.shape & SUBQUERY) != 0 ? Rule.SUBQUERY : Rule.CONDITIONAL_PROBE;
        return j != FAIL && sql && g.terminator(j) ? new Match(ruleFor(g.shape, rule), 0, j) : null;
    }

    /** {@code IF(1=1,name,cpf)} as a whole input (ORDER BY context): a blind condition. */
    private Match conditionalAtStart() {
        g.shape = 0;
        int j = g.call(0);
        boolean probe = (g.shape & CONDITIONAL) != 0 && (g.shape & COMPARE) != 0;
        return j != FAIL && probe && g.terminator(j) ? new Match(Rule.CONDITIONAL_PROBE, 0, j) : null;
    }

    /**
     * Structures that are attacks wherever they stand: UNION SELECT after a value, a stacked statement
     * after a semicolon, WAITFOR DELAY, INTO OUTFILE, EXEC of a system procedure, a dangerous function
     * called in operand position.
     */
    private Match anywhere(int from) {
        for (int i = from; i < t.size() && !g.exhausted(); i++) {
            SqlToken token = t.get(i);
            SqlToken previous = i > 0 ? t.get(i - 1) : null;
            Match match = null;
            if (token.is(Type.UNION) && (previous == null || SqlFolder.isOperand(previous))) {
                int j = st.union(i, false);
                match = j == FAIL ? null : new Match(Rule.UNION_SELECT, i, j);
            } else if (token.is(Type.SEMICOLON)) {
                int j = st.statement(i + 1, true);
                match = j == FAIL ? null : new Match(Rule.STACKED_QUERY, i, j);
            } else if (token.is(Type.KEYWORD)) {
                match = keywordAnywhere(i, token.text());
            } else if (token.is(Type.FUNCTION) && SqlTokenizer.isDangerous(token.text()) && operandPosition(previous)) {
                match = dangerousCall(i);
            } else if (token.is(Type.PAREN_OPEN) && g.is(i + 1, Type.KEYWORD, "SELECT") && operandPosition(previous)) {
                match = subquery(i);
            }
            if (match != null) {
                return match;
            }
        }
        // Input built to make the parse super-linear (hundreds of nested or repeated SQL openings) has no
        // place in a field; refusing it also keeps a payload from hiding behind the work budget.
        return g.exhausted() ? new Match(Rule.UNPARSEABLE, 0, 0) : null;
    }

    private Match keywordAnywhere(int i, String word) {
        if (word.equals("WAITFOR")) {
            return timeDelay(i, i);
        }
        if (word.equals("INTO")) {
            Match match = into(i);
            return match == null ? null : new Match(match.rule(), i, match.to());
        }
        boolean exec = word.equals("EXEC") || word.equals("EXECUTE");
        SqlToken procedure = g.at(i + 1);
        if (exec && procedure != null && SqlTokenizer.isSystemProcedure(procedure.text())) {
            return new Match(Rule.STACKED_QUERY, i, i + 2);
        }
        return null;
    }

    /** {@code , (SELECT version())}: a scalar subquery whose column list is SQL, in operand position. */
    private Match subquery(int i) {
        int j = st.select(i + 2, SqlStatements.Select.STATEMENT);
        return j == FAIL ? null : new Match(Rule.SUBQUERY, i, j);
    }

    private Match dangerousCall(int i) {
        g.shape = 0;
        int j = g.call(i);
        if (j == FAIL || (g.shape & (LITERAL | VAR | SUBQUERY)) == 0) {
            return null; // arguments that are words: "sleep( bom" is not a delay
        }
        SqlToken after = g.at(j);
        boolean ends = after == null || switch (after.type()) {
            case COMMENT, LOGIC, OPERATOR, COMMA, PAREN_CLOSE, SEMICOLON, KEYWORD, UNION -> true;
            default -> false;
        };
        return ends ? new Match(Rule.DANGEROUS_CALL, i, j) : null;
    }

    private static boolean operandPosition(SqlToken previous) {
        return previous == null || switch (previous.type()) {
            case OPERATOR, LOGIC, PAREN_OPEN, COMMA, SEMICOLON, KEYWORD, UNION -> true;
            default -> false;
        };
    }

    /** A delay or dangerous call inside a matched structure is the stronger finding. */
    private static Rule ruleFor(int shape, Rule otherwise) {
        return (shape & DANGER) != 0 ? Rule.DANGEROUS_CALL : otherwise;
    }
}
