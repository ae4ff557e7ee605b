package br.com.reistech.sanitization;

import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/**
 * What is done to markup that reaches the API.
 * <ul>
 *   <li>{@link #clean}: fields that hold HTML (CMS texts declared {@code html}) keep only formatting,
 *       block elements and {@code http}, {@code https} and {@code mailto} links (with
 *       {@code rel="nofollow noopener noreferrer"}), through the OWASP Java HTML Sanitizer; scripts,
 *       event handlers, styles, frames, forms and every other URL scheme are removed.</li>
 *   <li>{@link #inert}: a plain-text field that contains a tag has its {@code <} and {@code >}
 *       replaced by their full-width forms ({@code ＜} U+FF1C, {@code ＞} U+FF1E), so the stored text
 *       cannot open a tag in any page that shows it, yet still reads the same on WhatsApp, where
 *       most of these texts go (HTML entities would reach customers as "&amp;lt;"); text without a
 *       tag ("a < b", "<3") is stored unchanged.</li>
 *   <li>{@link #hasTag}: typed fields (e-mails, ids, slugs...) never hold markup; the caller refuses them.</li>
 * </ul>
 */
public final class Html {

    private static final PolicyFactory POLICY = Sanitizers.FORMATTING.and(Sanitizers.BLOCKS)
            .and(new HtmlPolicyBuilder()
                    .allowElements("a")
                    .allowStandardUrlProtocols() // http, https, mailto
                    .allowAttributes("href").onElements("a")
                    .requireRelsOnLinks("nofollow", "noopener", "noreferrer")
                    .toFactory());

    private Html() {
    }

    /** The HTML with everything but the allowed formatting, blocks and links removed. */
    public static String clean(String html) {
        return POLICY.sanitize(html);
    }

    /** The text with full-width angle brackets when it contains a tag; otherwise the same text. */
    public static String inert(String text) {
        return hasTag(text) ? text.replace('<', '\uFF1C').replace('>', '\uFF1E') : text;
    }

    /**
     * Whether a browser would start a tag, comment or declaration somewhere in the text: a
     * {@code <} followed by a letter, {@code /}, {@code !} or {@code ?} (HTML's tag open state).
     */
    public static boolean hasTag(String text) {
        for (int at = text.indexOf('<'); at >= 0 && at + 1 < text.length(); at = text.indexOf('<', at + 1)) {
            char next = text.charAt(at + 1);
            if (Character.isLetter(next) || next == '/' || next == '!' || next == '?') {
                return true;
            }
        }
        return false;
    }
}
