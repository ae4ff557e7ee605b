package br.com.reistech.logging;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data and secrets in a log line before it is written. Pure, stateless and
 * thread-safe; log4j calls it through {@link MaskingConverter} ({@code %mask{...}}) for the message
 * and the stack trace of every line, in text and in JSON.
 *
 * <p>What is masked, in this order:
 * <ol>
 *   <li>values of secret-like keys ({@code password}, {@code senha}, {@code secret}, {@code token},
 *       {@code api_key}/{@code apikey}, {@code authorization}, {@code dsn}, and any key containing
 *       one of them, such as {@code access_token}, {@code client_secret}, {@code DB_PASSWORD}) in
 *       {@code k=v}, URL query, {@code k: v} and JSON {@code "k":"v"} forms: the value becomes
 *       {@code ***}; an {@code Authorization} scheme word ({@code Basic}, {@code Bearer}) stays;</li>
 *   <li>the password of a URL's user info ({@code postgres://app:***@db});</li>
 *   <li>{@code Bearer <token>} and JSON web tokens ({@code eyJ…} in three dot-separated parts):
 *       fully replaced by {@code ***};</li>
 *   <li>CPFs ({@code 123.456.789-09}) and phone numbers: {@code +55 11 98765-4321},
 *       {@code (11) 98765-4321}, {@code 11 98765-4321}, {@code 98765-4321}, and any run of 10 to 15
 *       digits standing alone (WhatsApp wa_id, {@code 5511987654321}, a bare CPF). Every digit but
 *       the last two becomes {@code *}, separators and a Brazilian country code stay
 *       ({@code ***.***.***-09}, {@code +55 ** *****-**21}), so records can still be told apart.</li>
 * </ol>
 *
 * <p>Left alone: digits inside longer tokens (hex hashes, UUIDs, decimals, dotted versions), ISO
 * timestamps, IPs, ports and numbers under 10 digits. A 13-digit number starting with {@code 1} is
 * read as epoch milliseconds (no E.164 number has that shape) and stays. A 10-digit epoch second
 * does not: it is indistinguishable from a phone number with area code.
 *
 * <p>Over-masking is the chosen failure: a key merely named like a secret ({@code tokenCount=3})
 * loses its value in the log.
 */
public final class LogMasker {

    private static final String SECRET_WORD = "password|passwd|senha|secret|token|api[_-]?key|authorization|dsn";
    private static final Pattern SECRET_VALUE = Pattern.compile(
            "(?i)(?<![\\w.-])([\\w.-]*(?:" + SECRET_WORD + ")[\\w.-]*)"          // the key
                    + "(\\\\?[\"']?\\s*[:=]\\s*)"                                  // closing quote, separator
                    + "(?:(\\\\?\")(?:[^\"\\\\]|\\\\(?!\"))*\\\\?\""               // "quoted" or \"escaped\"
                    + "|(')[^']*'"                                                 // 'quoted'
                    + "|((?:basic|bearer|digest)\\s+)?[^\\s,;&\"'}\\])<>]+)");     // bare, up to a delimiter
    private static final Pattern URL_PASSWORD = Pattern.compile(
            "(?i)\\b([a-z][a-z0-9+.-]*://[^\\s/:@]+:)[^\\s/@]+@");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern JWT = Pattern.compile(
            "\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

    private static final String NOT_AFTER = "(?<![\\w.+\\-*])";
    private static final String NOT_BEFORE = "(?![\\w*]|[.-]\\w)";
    private static final Pattern CPF = Pattern.compile(NOT_AFTER + "\\d{3}\\.\\d{3}\\.\\d{3}-\\d{2}" + NOT_BEFORE);
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+])\\+55[ .-]?\\(?\\d{2}\\)?[ .-]?9?\\d{4}[ .-]?\\d{4}" + NOT_BEFORE // +55 11 98765-4321
                    + "|(?<![\\w+])\\+\\d{10,15}" + NOT_BEFORE                          // E.164
                    + "|(?<![\\w)])\\(\\d{2}\\) ?9?\\d{4}[ .-]?\\d{4}" + NOT_BEFORE     // (11) 98765-4321
                    + "|" + NOT_AFTER + "\\d{2} 9?\\d{4}-\\d{4}" + NOT_BEFORE          // 11 98765-4321
                    + "|" + NOT_AFTER + "9\\d{4}-\\d{4}" + NOT_BEFORE                  // 98765-4321
                    + "|" + NOT_AFTER + "\\d{10,15}" + NOT_BEFORE);                     // wa_id, bare CPF
    private static final Pattern EPOCH_MILLIS = Pattern.compile("1\\d{12}");

    /**
     * Fewer digits than the shortest maskable number (a local mobile number has 9), counted in one
     * run of digits broken by at most two of {@code " .-()+"} at a time: every pattern below needs
     * such a run, so a line without one (most lines: ids, IPs, sizes, durations) skips the regexes.
     */
    private static final int MIN_DIGITS = 9;
    private static final String[] TRIGGERS = {
        "passw", "senha", "secret", "token", "api_key", "apikey", "api-key", "authorization", "dsn",
        "bearer", "eyJ", "://"
    };

    private LogMasker() {
    }

    /** The text with sensitive values masked; the same instance when there is nothing to mask. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        boolean secrets = mayHoldSecret(text);
        boolean numbers = longestDigitRun(text, 0) >= MIN_DIGITS;
        if (!secrets && !numbers) {
            return text;
        }
        String masked = text;
        if (secrets) {
            masked = replace(masked, SECRET_VALUE, LogMasker::secretValue);
            masked = replace(masked, URL_PASSWORD, m -> m.group(1) + "***@");
            masked = replace(masked, BEARER, m -> m.group(1) + "***");
            masked = replace(masked, JWT, m -> "***");
        }
        if (numbers) {
            masked = replace(masked, CPF, m -> digitsHidden(m.group(), false));
            masked = replace(masked, PHONE, LogMasker::phone);
        }
        return masked;
    }

    /** Masks {@code buffer} from {@code from} to its end, in place; untouched when nothing matches. */
    public static void mask(StringBuilder buffer, int from) {
        if (from >= buffer.length() || !mayHoldSecret(buffer, from) && longestDigitRun(buffer, from) < MIN_DIGITS) {
            return;
        }
        String original = buffer.substring(from);
        String masked = mask(original);
        if (masked != original) {
            buffer.setLength(from);
            buffer.append(masked);
        }
    }

    private static String secretValue(Matcher m) {
        String key = m.group(1) + m.group(2);
        if (m.group(3) != null) {
            return key + m.group(3) + "***" + m.group(3);
        }
        if (m.group(4) != null) {
            return key + "'***'";
        }
        return key + (m.group(5) == null ? "" : m.group(5)) + "***";
    }

    private static String phone(Matcher m) {
        String number = m.group();
        if (EPOCH_MILLIS.matcher(number).matches()) {
            return number;
        }
        return digitsHidden(number, true);
    }

    /** Every digit but the last two as {@code *}; a leading Brazilian country code kept for phones. */
    private static String digitsHidden(String number, boolean phone) {
        int digits = digitCount(number, 0);
        int keepFrom = 0;
        if (phone && (number.startsWith("+55") || number.startsWith("55") && digits >= 12 && digits <= 13)) {
            keepFrom = number.indexOf("55") + 2;
        }
        StringBuilder out = new StringBuilder(number.length());
        int seen = 0;
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c >= '0' && c <= '9') {
                seen++;
                out.append(i < keepFrom || seen > digits - 2 ? c : '*');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String replace(String text, Pattern pattern, Function<Matcher, String> replacement) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        do {
            out.append(text, last, m.start()).append(replacement.apply(m));
            last = m.end();
        } while (m.find());
        String replaced = out.append(text, last, text.length()).toString();
        return replaced.equals(text) ? text : replaced;
    }

    private static boolean mayHoldSecret(CharSequence text) {
        return mayHoldSecret(text, 0);
    }

    private static boolean mayHoldSecret(CharSequence text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = lower(text.charAt(i));
            if (c == 'p' || c == 's' || c == 't' || c == 'a' || c == 'd' || c == 'b' || c == 'e' || c == ':') {
                for (String trigger : TRIGGERS) {
                    if (lower(trigger.charAt(0)) == c && regionMatches(text, i, trigger)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** ASCII lower case, as the patterns' {@code (?i)} matches (no Unicode case folding). */
    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private static boolean regionMatches(CharSequence text, int at, String word) {
        if (at + word.length() > text.length()) {
            return false;
        }
        for (int j = 0; j < word.length(); j++) {
            if (lower(text.charAt(at + j)) != lower(word.charAt(j))) {
                return false;
            }
        }
        return true;
    }

    /** The most digits in one run of digits and short separator groups (see {@link #MIN_DIGITS}). */
    private static int longestDigitRun(CharSequence text, int from) {
        int longest = 0;
        int run = 0;
        int separators = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                run++;
                separators = 0;
                longest = Math.max(longest, run);
            } else if (" .-()+".indexOf(c) >= 0 && ++separators <= 2) {
                continue;
            } else {
                run = 0;
                separators = 0;
            }
        }
        return longest;
    }

    private static int digitCount(CharSequence text, int from) {
        int count = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                count++;
            }
        }
        return count;
    }
}
