package br.com.reistech.sanitization;

/**
 * One lexical unit of {@link SqlTokenizer}.
 *
 * @param type   lexical class
 * @param text   upper-cased word or operator; a string's content; a comment's start; empty for punctuation;
 *               for a folded {@link Type#COMPARISON} its fingerprint, e.g. {@code 1=1}
 * @param quote  the opening quote of a string or quoted identifier, else {@code 0}
 * @param closed whether a string, quoted identifier or block comment was terminated
 */
record SqlToken(Type type, String text, char quote, boolean closed) {

    /** Lexical classes, each with the character it contributes to a fingerprint. */
    enum Type {
        STRING('s'), NUMBER('1'), BAREWORD('n'), KEYWORD('k'), UNION('U'), LOGIC('&'), OPERATOR('o'),
        FUNCTION('f'), VARIABLE('v'), COMMENT('c'), SEMICOLON(';'), PAREN_OPEN('('), PAREN_CLOSE(')'),
        COMMA(','), COMPARISON('='), OTHER('?');

        final char code;

        Type(char code) {
            this.code = code;
        }
    }

    static SqlToken of(Type type, String text) {
        return new SqlToken(type, text, '\0', true);
    }

    boolean is(Type expected) {
        return type == expected;
    }

    boolean is(Type expected, String word) {
        return type == expected && text.equals(word);
    }

    /** The token's part of a fingerprint: comparisons show as {@code =}, a folded comparison as its operands. */
    String code() {
        if (type == Type.COMPARISON) {
            return text;
        }
        if (type == Type.OPERATOR && SqlTokenizer.isComparison(text)) {
            return "=";
        }
        return String.valueOf(type.code);
    }

    /** A comment that holds words (three letters in a row): a remark in a sentence, not a cut-off. */
    boolean isWordyComment() {
        int run = 0;
        for (int i = 0; i < text.length() && run < 3; i++) {
            run = Character.isLetter(text.charAt(i)) ? run + 1 : 0;
        }
        return type == Type.COMMENT && run >= 3;
    }
}
