package br.com.reistech.sanitization;

import br.com.reistech.sanitization.SqlToken.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Hand-written SQL lexer in the spirit of libinjection: one left-to-right pass, no regular expressions,
 * every loop advances, so the time is linear in the input and any input (unterminated strings or
 * comments, binary noise) produces tokens instead of an error.
 *
 * <p>It lexes the union of common dialects (MySQL, PostgreSQL, SQL Server, Oracle, SQLite): backslash
 * and doubled-quote escapes, {@code --}/{@code #}/{@code /* *}{@code /} comments, MySQL executable
 * comments {@code /*!50000 ... *}{@code /} (whose content is lexed as SQL, since MySQL runs it),
 * dollar-quoted strings, {@code `ticked`} and {@code [bracketed]} identifiers, {@code @}variables.
 */
final class SqlTokenizer {

    static final Set<String> KEYWORDS = Set.of(
            "SELECT", "FROM", "WHERE", "INSERT", "UPDATE", "DELETE", "DROP", "EXEC", "EXECUTE", "DECLARE",
            "HAVING", "GROUP", "ORDER", "BY", "LIMIT", "OFFSET", "INTO", "VALUES", "SET", "TABLE", "CASE",
            "WHEN", "THEN", "ELSE", "END", "WAITFOR", "DELAY", "COPY", "PROGRAM", "SHUTDOWN", "TRUNCATE",
            "ALTER", "CREATE", "GRANT", "REVOKE", "PROCEDURE", "OUTFILE", "DUMPFILE", "LOAD", "INFILE", "AS",
            "ALL", "DISTINCT", "EXISTS", "ASC", "DESC", "DESCRIBE", "JOIN", "BEGIN", "IF", "REPLACE", "MERGE",
            "CALL", "RENAME", "HANDLER", "PREPARE", "RECONFIGURE");
    static final Set<String> LOGIC_WORDS = Set.of("AND", "OR", "XOR", "NOT");
    static final Set<String> OPERATOR_WORDS = Set.of(
            "LIKE", "RLIKE", "REGEXP", "ILIKE", "GLOB", "BETWEEN", "IN", "IS", "SOUNDS", "DIV", "MOD", "ESCAPE");
    static final Set<String> LITERAL_WORDS = Set.of("TRUE", "FALSE", "NULL");
    /** Functions whose mere call, in SQL position, is an attack: delays, file access, commands, error exfiltration. */
    static final Set<String> DANGEROUS_FUNCTIONS = Set.of(
            "SLEEP", "PG_SLEEP", "BENCHMARK", "WAITFOR", "DBMS_PIPE.RECEIVE_MESSAGE", "DBMS_LOCK.SLEEP",
            "EXTRACTVALUE", "UPDATEXML", "LOAD_FILE", "XP_CMDSHELL", "XP_DIRTREE", "XP_REGREAD",
            "UTL_INADDR.GET_HOST_ADDRESS", "UTL_INADDR.GET_HOST_NAME", "UTL_HTTP.REQUEST", "RANDOMBLOB",
            "GTID_SUBSET", "NAME_CONST", "CTXSYS.DRITHSX.SN", "DBMS_XMLGEN.GETXML", "PG_READ_FILE",
            "LO_IMPORT", "CURRENT_SETTING", "SYS_EVAL", "SYS_EXEC");
    private static final Set<String> DANGEROUS_PACKAGES = Set.of(
            "UTL_INADDR", "UTL_HTTP", "UTL_FILE", "DBMS_PIPE", "DBMS_LOCK", "DBMS_XMLGEN", "DBMS_JAVA");
    /** Functions used to build or probe data once inside SQL (extraction, blind tests, casts). */
    static final Set<String> SQL_FUNCTIONS = Set.of(
            "CHAR", "CHR", "NCHAR", "CONCAT", "CONCAT_WS", "GROUP_CONCAT", "STRING_AGG", "SUBSTRING", "SUBSTR",
            "ASCII", "ORD", "MID", "IF", "IIF", "CAST", "CONVERT", "VERSION", "USER", "CURRENT_USER",
            "SYSTEM_USER", "SESSION_USER", "DATABASE", "SCHEMA", "DB_NAME", "HEX", "UNHEX", "MD5", "SHA1",
            "LENGTH", "LEN", "COUNT", "RAND", "FLOOR", "UPPER", "LOWER", "LEFT", "RIGHT", "REPLACE", "INSERT",
            "NOW", "SYSDATE", "COALESCE", "IFNULL", "NULLIF", "ELT", "MAKE_SET", "EXP", "JSON_KEYS", "LIKE",
            "XMLTYPE", "TO_CHAR", "UNICODE", "ISNULL", "CHARINDEX", "INSTR", "LOCATE", "POSITION", "TRIM",
            "REVERSE", "BIN", "CONV", "OCT", "FORMAT", "UPPERCASE", "PASSWORD", "ENCODE", "DECODE", "GLOB",
            "REGEXP_LIKE");
    private static final String[] OPERATORS = {
        "!~*", "<=>", "<>", "!=", "<=", ">=", "==", "<<", ">>", "||", "&&", "::", ":=", "!<", "!>", "~*", "!~",
        "=", "<", ">", "+", "-", "*", "/", "%", "^", "|", "&", "~", "!"};
    private static final Set<String> COMPARISONS = Set.of(
            "=", "==", "<>", "!=", "<", ">", "<=", ">=", "<=>", "!<", "!>", "LIKE", "RLIKE", "REGEXP", "ILIKE",
            "GLOB", "IS", "IS NOT", "NOT LIKE", "NOT RLIKE", "NOT REGEXP", "NOT ILIKE", "SOUNDS LIKE", "IN",
            "NOT IN", "BETWEEN", "NOT BETWEEN", "SIMILAR TO", "NOT GLOB", "~", "~*", "!~", "!~*");
    /** Pattern-matching comparisons: no prose puts them between two values ({@code 1 RLIKE 1}). */
    static final Set<String> PATTERN_OPERATORS = Set.of(
            "LIKE", "RLIKE", "REGEXP", "ILIKE", "GLOB", "SOUNDS LIKE", "SIMILAR TO", "NOT LIKE", "NOT RLIKE",
            "NOT REGEXP", "NOT ILIKE", "NOT GLOB", "~*", "!~", "!~*");
    /** Letters that prefix a literal: PostgreSQL E'..', SQL Server N'..', hex X'..', bit B'..'. */
    private static final String STRING_PREFIXES = "EeNnXxBb";
    /** Words that a number may run into without a space and still end (MySQL lexes {@code 1union} as two tokens). */
    private static final Set<String> SPLIT_AFTER_NUMBER = Set.of(
            "UNION", "AND", "OR", "XOR", "ORDER", "GROUP", "LIMIT", "FROM", "LIKE", "INTO", "HAVING");

    private final String s;
    private final int end;
    private final int maxTokens;
    /** MySQL reads a backslash in a literal as an escape; standard SQL (PostgreSQL, SQL Server, Oracle) does not. */
    private final boolean backslashEscapes;
    private final List<SqlToken> out = new ArrayList<>();
    private int pos;
    /** Inside {@code /*! ... *}{@code /}: the closing marker is skipped, the content was lexed as SQL. */
    private boolean executableComment;

    private SqlTokenizer(String s, int from, int to, int maxTokens, boolean backslashEscapes) {
        this.s = s;
        this.pos = from;
        this.end = to;
        this.maxTokens = maxTokens;
        this.backslashEscapes = backslashEscapes;
    }

    /**
     * Tokens of {@code s[from, to)}. With {@code openQuote} non-zero the text is read as the rest of a
     * literal opened by that quote (the context of a value pasted inside {@code '...'}), so the first
     * token is the string that the input closes, if it does. {@code backslashEscapes}: MySQL's literals
     * (a backslash escapes the next character) or standard ones (it is a plain character, so
     * {@code \' OR 1=1} breaks out after an application escaped the quote as {@code \\'}).
     */
    static List<SqlToken> tokenize(String s, int from, int to, char openQuote, boolean backslashEscapes,
            int maxTokens) {
        SqlTokenizer lexer = new SqlTokenizer(s, from, to, maxTokens, backslashEscapes);
        if (openQuote != 0) {
            lexer.string(openQuote);
        }
        while (lexer.pos < lexer.end && lexer.out.size() < maxTokens) {
            lexer.next();
        }
        return lexer.out;
    }

    /** A dangerous function or procedure, also qualified ({@code master..xp_cmdshell}, {@code utl_http.request}). */
    static boolean isDangerous(String name) {
        if (DANGEROUS_FUNCTIONS.contains(name)) {
            return true;
        }
        int dot = name.lastIndexOf('.');
        String last = name.substring(dot + 1);
        return DANGEROUS_FUNCTIONS.contains(last) || last.startsWith("XP_") || last.startsWith("SP_")
                || DANGEROUS_PACKAGES.contains(name.substring(0, Math.max(dot, 0)));
    }

    /** SQL Server's system procedures, the ones EXEC is used for in attacks: xp_cmdshell, sp_configure. */
    static boolean isSystemProcedure(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1);
        return last.startsWith("XP_") || last.startsWith("SP_");
    }

    static boolean isComparison(String operator) {
        return COMPARISONS.contains(operator);
    }

    static boolean isWhitespace(char c) {
        // SQL engines skip more than ASCII spaces: MySQL also skips 0xA0; control and format characters
        // (NUL, zero-width spaces, BOM) are treated the same so they cannot split or hide keywords.
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT;
    }

    private void next() {
        char c = s.charAt(pos);
        if (c == '\0') {
            nul();
            return;
        }
        if (isWhitespace(c)) {
            pos++;
            return;
        }
        switch (c) {
            case '\'', '"' -> {
                pos++;
                string(c);
            }
            case '`' -> quotedIdentifier('`');
            case '[' -> bracketIdentifier();
            case '(' -> single(Type.PAREN_OPEN);
            case ')' -> single(Type.PAREN_CLOSE);
            case ',' -> single(Type.COMMA);
            case ';' -> single(Type.SEMICOLON);
            case '#' -> lineComment();
            case '@' -> variable();
            case '$' -> dollar();
            default -> nextOther(c);
        }
    }

    private void nextOther(char c) {
        if (c == '-' && peek(1) == '-') {
            lineComment();
        } else if (c == '/' && peek(1) == '*') {
            blockComment();
        } else if (c == '*' && peek(1) == '/' && executableComment) {
            executableComment = false;
            pos += 2;
        } else if (Character.isDigit(c) || c == '.' && Character.isDigit(peek(1))) {
            number();
        } else if (isWordStart(c)) {
            word(pos);
        } else if (!operator()) {
            out.add(SqlToken.of(Type.OTHER, String.valueOf(c)));
            pos++;
        }
    }

    /**
     * A NUL with nothing but spaces after it ends the query for drivers that pass C strings, as a
     * comment does ({@code admin'%00}); elsewhere it is a space.
     */
    private void nul() {
        int i = pos + 1;
        while (i < end && isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i == end) {
            out.add(SqlToken.of(Type.COMMENT, ""));
        }
        pos = i;
    }

    private char peek(int ahead) {
        return pos + ahead < end ? s.charAt(pos + ahead) : '\0';
    }

    private void single(Type type) {
        out.add(SqlToken.of(type, ""));
        pos++;
    }

    /** A literal whose opening quote is already consumed; doubled quotes and backslashes escape. */
    private void string(char quote) {
        int start = pos;
        while (pos < end) {
            char c = s.charAt(pos);
            if (c == '\\' && backslashEscapes) {
                pos += 2;
            } else if (c == quote && peek(1) == quote) {
                pos += 2;
            } else if (c == quote) {
                out.add(new SqlToken(Type.STRING, s.substring(start, pos), quote, true));
                pos++;
                return;
            } else {
                pos++;
            }
        }
        pos = end;
        out.add(new SqlToken(Type.STRING, s.substring(start, end), quote, false));
    }

    private void quotedIdentifier(char quote) {
        int close = s.indexOf(quote, pos + 1);
        boolean closed = close >= 0 && close < end;
        int stop = closed ? close : end;
        out.add(new SqlToken(Type.BAREWORD, s.substring(pos + 1, stop).toUpperCase(Locale.ROOT), quote, closed));
        pos = closed ? stop + 1 : end;
    }

    /** SQL Server's {@code [name]}; a bracket around anything else (prose, spaces) is just a character. */
    private void bracketIdentifier() {
        int i = pos + 1;
        while (i < end && i - pos < 128 && (isWordPart(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i < end && i > pos + 1 && s.charAt(i) == ']') {
            out.add(new SqlToken(Type.BAREWORD, s.substring(pos + 1, i).toUpperCase(Locale.ROOT), '[', true));
            pos = i + 1;
        } else {
            single(Type.OTHER);
        }
    }

    /** To the end of the line; the start of its text is kept (the rules tell "--" from "-- obrigado"). */
    private void lineComment() {
        int start = pos;
        while (pos < end && s.charAt(pos) != '\n' && s.charAt(pos) != '\r') {
            pos++;
        }
        out.add(SqlToken.of(Type.COMMENT, s.substring(start, Math.min(pos, start + 64))));
    }

    private void blockComment() {
        if (peek(2) == '!') {
            // MySQL executes the content of /*!NNNNN ... */: skip the marker and version, lex the rest.
            pos += 3;
            for (int digits = 0; digits < 6 && pos < end && Character.isDigit(s.charAt(pos)); digits++) {
                pos++;
            }
            executableComment = true;
            return;
        }
        int close = s.indexOf("*/", pos + 2);
        boolean closed = close >= 0 && close + 2 <= end;
        int start = pos;
        pos = closed ? close + 2 : end;
        out.add(new SqlToken(Type.COMMENT, s.substring(start, Math.min(pos, start + 64)), '/', closed));
    }

    private void variable() {
        int start = pos;
        pos++;
        if (peek(0) == '@') {
            pos++;
        }
        char c = peek(0);
        if (c == '\'' || c == '"' || c == '`') {
            pos++;
            string(c);
            out.set(out.size() - 1, SqlToken.of(Type.VARIABLE, "@"));
            return;
        }
        while (pos < end && (isWordPart(s.charAt(pos)) || s.charAt(pos) == '.' && isWordPart(peek(1)))) {
            pos++;
        }
        boolean system = start + 1 < end && s.charAt(start + 1) == '@';
        Type type = pos - start > (system ? 2 : 1) ? Type.VARIABLE : Type.OTHER;
        out.add(SqlToken.of(type, s.substring(start, pos).toUpperCase(Locale.ROOT)));
    }

    /** PostgreSQL {@code $$...$$} and {@code $tag$...$tag$}; any other dollar is a character. */
    private void dollar() {
        int i = pos + 1;
        while (i < end && i - pos <= 32 && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
        }
        if (i >= end || s.charAt(i) != '$' || i > pos + 1 && Character.isDigit(s.charAt(pos + 1))) {
            single(Type.OTHER);
            return;
        }
        String tag = s.substring(pos, i + 1);
        int close = s.indexOf(tag, i + 1);
        boolean closed = close >= 0 && close + tag.length() <= end;
        int stop = closed ? close : end;
        out.add(new SqlToken(Type.STRING, s.substring(i + 1, stop), '$', closed));
        pos = closed ? stop + tag.length() : end;
    }

    private void number() {
        int start = pos;
        if (s.charAt(pos) == '0' && (peek(1) == 'x' || peek(1) == 'X' || peek(1) == 'b' || peek(1) == 'B')) {
            pos += 2;
            while (pos < end && Character.digit(s.charAt(pos), 16) >= 0) {
                pos++;
            }
        } else {
            digits();
            if (peek(0) == '.') {
                pos++;
                digits();
            }
            if ((peek(0) == 'e' || peek(0) == 'E') && (Character.isDigit(peek(1))
                    || (peek(1) == '+' || peek(1) == '-') && Character.isDigit(peek(2)))) {
                pos += 2;
                digits();
            }
        }
        if (pos < end && isWordStart(s.charAt(pos)) && !SPLIT_AFTER_NUMBER.contains(wordAt(pos))) {
            word(start); // "14h30", "3rd": an identifier that starts with digits
            return;
        }
        out.add(SqlToken.of(Type.NUMBER, s.substring(start, pos)));
    }

    private void digits() {
        while (pos < end && Character.isDigit(s.charAt(pos))) {
            pos++;
        }
    }

    private String wordAt(int from) {
        int i = from;
        while (i < end && i - from < 16 && Character.isLetter(s.charAt(i))) {
            i++;
        }
        return s.substring(from, i).toUpperCase(Locale.ROOT);
    }

    private void word(int start) {
        while (pos < end) {
            char c = s.charAt(pos);
            if (isWordPart(c)) {
                pos++;
            } else if (c == '.' && isWordPart(peek(1))) {
                pos += 2; // qualified names: information_schema.tables, dbms_pipe.receive_message
            } else if (c == '.' && peek(1) == '.' && isWordPart(peek(2))) {
                pos += 3; // SQL Server's master..xp_cmdshell
            } else if (c == '@' && isWordPart(peek(1))) {
                pos += 2; // an e-mail address is one word, not a word and a variable
            } else {
                break;
            }
        }
        if (pos - start == 1 && STRING_PREFIXES.indexOf(s.charAt(start)) >= 0 && (peek(0) == '\'')) {
            pos++;
            string('\''); // E'\x41', N'texto', X'41': the letter belongs to the literal
            return;
        }
        String text = s.substring(start, pos).toUpperCase(Locale.ROOT);
        out.add(SqlToken.of(classify(text, callFollows(text)), text));
    }

    private Type classify(String word, boolean call) {
        Type previous = out.isEmpty() ? null : out.get(out.size() - 1).type();
        boolean operandExpected = previous == null || previous == Type.OPERATOR || previous == Type.LOGIC
                || previous == Type.PAREN_OPEN || previous == Type.COMMA;
        if (call && (SQL_FUNCTIONS.contains(word) || DANGEROUS_FUNCTIONS.contains(word))
                && (!OPERATOR_WORDS.contains(word) || operandExpected)) {
            return Type.FUNCTION;
        }
        if (LOGIC_WORDS.contains(word)) {
            return Type.LOGIC;
        }
        if (OPERATOR_WORDS.contains(word)) {
            return Type.OPERATOR;
        }
        if (word.equals("UNION")) {
            return Type.UNION;
        }
        if (LITERAL_WORDS.contains(word)) {
            return Type.NUMBER;
        }
        if (KEYWORDS.contains(word)) {
            return Type.KEYWORD;
        }
        return call ? Type.FUNCTION : Type.BAREWORD;
    }

    /**
     * Whether a parenthesis follows the word directly or after comments only. Names with {@code _} or
     * {@code .} (pg_sleep, dbms_pipe.receive_message) may also be separated by spaces: no prose word has them.
     */
    private boolean callFollows(String word) {
        boolean spacesAllowed = word.indexOf('_') >= 0 || word.indexOf('.') >= 0;
        int i = pos;
        for (int guard = 0; i < end && guard < 64; guard++) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < end && s.charAt(i + 1) == '*') {
                int close = s.indexOf("*/", i + 2);
                if (close < 0 || close >= end) {
                    return false;
                }
                i = close + 2;
            } else if (spacesAllowed && isWhitespace(c)) {
                i++;
            } else {
                return c == '(';
            }
        }
        return false;
    }

    private boolean operator() {
        for (String op : OPERATORS) {
            if (s.startsWith(op, pos) && pos + op.length() <= end) {
                boolean logic = op.equals("||") || op.equals("&&");
                out.add(SqlToken.of(logic ? Type.LOGIC : Type.OPERATOR, op));
                pos += op.length();
                return true;
            }
        }
        return false;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isWordPart(char c) {
        int type = Character.getType(c);
        return Character.isLetterOrDigit(c) || c == '_' || c == '$'
                || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }
}
