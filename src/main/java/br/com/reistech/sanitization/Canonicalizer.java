package br.com.reistech.sanitization;

import org.owasp.esapi.Encoder;
import org.owasp.esapi.reference.DefaultEncoder;
import org.owasp.esapi.errors.IntrusionException;

/**
 * Reduces input to its simplest form before it is judged, with OWASP ESAPI's encoder: HTML
 * entities, percent-encoding and JavaScript escapes are decoded until nothing changes, so
 * {@code %27}, {@code &#39;} and {@code \x27} are all judged as {@code '}. Input encoded more than
 * once ({@code %2527}) or with two encodings at once is reported as such: legitimate clients encode
 * once, and the container has already undone that.
 *
 * <p>Only the detectors see the canonical form; what the application receives is never replaced by it.
 * ESAPI reads its settings from {@code esapi/ESAPI.properties} on the classpath.
 */
public final class Canonicalizer {

    private static final Encoder ENCODER = DefaultEncoder.getInstance();
    /**
     * Canonicalised per value: the first and the last this many characters. ESAPI's decoding is
     * quadratic on text full of {@code &}, and the SQL-injection detector reads no more than these
     * windows of a value anyway ({@link SqlInjectionDetector}).
     */
    static final int WINDOW = SqlInjectionDetector.CAP;

    private Canonicalizer() {
    }

    /**
     * @param value the canonical form
     * @param reencoded the input was encoded more than once, or with mixed encodings
     */
    public record Canonical(String value, boolean reencoded) {
    }

    public static Canonical canonicalize(String input) {
        if (!mayBeEncoded(input)) {
            return new Canonical(input, false);
        }
        if (input.length() > 2 * WINDOW) {
            Canonical head = canonicalize(input.substring(0, WINDOW));
            Canonical tail = canonicalize(input.substring(input.length() - WINDOW));
            return new Canonical(head.value() + " " + tail.value(), head.reencoded() || tail.reencoded());
        }
        // ESAPI's entity table is HTML 4's, which lacks &apos; (XML and HTML5 have it).
        String text = input.replace("&apos;", "&#39;");
        try {
            return new Canonical(ENCODER.canonicalize(text, true, true), false);
        } catch (IntrusionException multipleOrMixed) {
            return new Canonical(ENCODER.canonicalize(text, false, false), true);
        }
    }

    /** No escape character at all: nothing to decode (most input), so ESAPI is skipped. */
    private static boolean mayBeEncoded(String input) {
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == '%' || c == '&' || c == '\\') {
                return true;
            }
        }
        return false;
    }
}
