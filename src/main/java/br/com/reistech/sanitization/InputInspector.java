package br.com.reistech.sanitization;

import br.com.reistech.sanitization.InputFields.Kind;
import br.com.reistech.web.problem.ProblemType;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges request input for the sanitization filter; knows nothing of servlets.
 *
 * <p>A JSON body is parsed once, with limits (nesting {@value #MAX_DEPTH}, strings of
 * {@value #MAX_STRING} characters, names of {@value #MAX_NAME}, numbers of {@value #MAX_NUMBER}
 * digits, no field given twice), then walked:
 * <ol>
 *   <li>field names that are operators or prototype paths elsewhere ({@code $where}, {@code $gt},
 *       dotted names, {@code __proto__}, {@code constructor}, {@code prototype}) are refused, except
 *       the keys of free-form maps ({@link InputFields#freeFormKeys});</li>
 *   <li>each string value is judged by its field's {@link InputFields.Kind}: typed values are
 *       canonicalised ({@link Canonicalizer}) and refused when encoded twice, when the
 *       {@link SqlInjectionDetector} finds an injection, or when they hold a tag; free text is scored
 *       (suspicions are returned, never refused) and its tags made inert; HTML is cleaned; secrets
 *       are left alone.</li>
 * </ol>
 * Values are replaced only by the markup rules; the canonical form only feeds the detectors.
 * Malformed JSON is not judged here: the application answers it with {@code malformed-json}.
 */
public final class InputInspector {

    static final int MAX_DEPTH = 32;
    static final int MAX_STRING = 200_000;
    static final int MAX_NAME = 200;
    static final int MAX_NUMBER = 100;
    /** Free text scoring at least this much is logged as a suspicion. */
    static final int SUSPICION_SCORE = 50;
    private static final Set<String> FORBIDDEN_NAMES = Set.of("__proto__", "constructor", "prototype");
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING).maxNameLength(MAX_NAME).maxNumberLength(MAX_NUMBER).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            // A rewritten body keeps its numbers exactly as sent (no double rounding: 0.1000000000000000000001).
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private InputInspector() {
    }

    /** Why input is refused: the problem to answer. */
    public record Refusal(ProblemType type, String detail) {
    }

    /** Free text that looks like SQL: logged with the request, never refused. */
    public record Suspicion(String field, int score, String fingerprint) {
    }

    /**
     * @param refusal why the body is refused, or null
     * @param body the body to hand on when a value was made safe; null when it is unchanged
     */
    public record Result(Refusal refusal, byte[] body, List<Suspicion> suspicions) {
    }

    /** Judges a JSON body sent to {@code path} (the path within the application). */
    public static Result body(String path, byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (StreamConstraintsException tooDeepOrLong) {
            return refused(ProblemType.INVALID_BODY, "JSON nested deeper than " + MAX_DEPTH
                    + " levels, or a name, string or number longer than allowed");
        } catch (JsonParseException malformed) {
            String message = String.valueOf(malformed.getOriginalMessage());
            return message.startsWith("Duplicate field")
                    ? refused(ProblemType.MALFORMED_JSON, "A field is given more than once in one object")
                    : new Result(null, null, List.of());
        } catch (IOException malformed) {
            return new Result(null, null, List.of());
        }
        if (root == null) {
            return new Result(null, null, List.of());
        }
        Walk walk = new Walk(path);
        try {
            JsonNode replaced = walk.visit(root, "", null);
            boolean changed = walk.changed || replaced != null;
            byte[] out = changed ? JSON.writeValueAsBytes(replaced != null ? replaced : root) : null;
            return new Result(null, out, walk.suspicions);
        } catch (Refused refused) {
            return new Result(refused.refusal, null, List.of());
        } catch (IOException unwritable) {
            throw new IllegalStateException("A parsed JSON tree could not be written", unwritable);
        }
    }

    /**
     * Judges one query parameter or path segment (already percent-decoded once by the container):
     * typed, so refused on re-encoding, SQL injection or markup. Null when it is accepted.
     */
    public static Refusal typed(String where, String value) {
        try {
            judgeTyped(where, value);
            return null;
        } catch (Refused refused) {
            return refused.refusal;
        }
    }

    private static void judgeTyped(String where, String value) {
        if (plainWord(value)) {
            return; // "0", "20", "name": nothing encoded, no SQL structure, no markup
        }
        judgeEmbeddedJson(where, value);
        Canonicalizer.Canonical canonical = Canonicalizer.canonicalize(value);
        if (canonical.reencoded()) {
            throw new Refused(ProblemType.SUSPICIOUS_INPUT, where + " is encoded more than once");
        }
        // A '+' is a space in form encoding: "1+OR+1=1" reaches SQL as "1 OR 1=1" through many clients.
        if (SqlInjectionDetector.analyse(canonical.value()).injection()
                || (canonical.value().indexOf('+') >= 0
                    && SqlInjectionDetector.analyse(canonical.value().replace('+', ' ')).injection())) {
            throw new Refused(ProblemType.SUSPICIOUS_INPUT, where + " looks like SQL injection");
        }
        if (Html.hasTag(canonical.value())) {
            throw new Refused(ProblemType.SUSPICIOUS_INPUT, where + " contains markup");
        }
    }

    /**
     * A typed value that is itself a JSON document (a filter a client serialised into a string) has
     * each of its strings judged as typed too: the detector sees single values, not documents.
     */
    private static void judgeEmbeddedJson(String where, String value) {
        String text = value.strip();
        if (!(text.startsWith("{") || text.startsWith("[")) || text.length() > MAX_STRING) {
            return;
        }
        JsonNode document;
        try {
            document = JSON.readTree(text);
        } catch (IOException notJson) {
            return;
        }
        for (JsonNode leaf : leaves(document, new ArrayList<>())) {
            judgeTyped(where, leaf.asText());
        }
    }

    private static List<JsonNode> leaves(JsonNode node, List<JsonNode> found) {
        if (node.isTextual()) {
            found.add(node);
        }
        node.forEach(child -> leaves(child, found));
        return found;
    }

    /** An absolute http or https URI, without markup; its own percent-encoding is not judged. */
    private static void judgeUrl(String field, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new Refused(ProblemType.SUSPICIOUS_INPUT, "Field '" + printable(field) + "' must be an http or https URL");
            }
        } catch (URISyntaxException notAUri) {
            throw new Refused(ProblemType.SUSPICIOUS_INPUT, "Field '" + printable(field) + "' must be an http or https URL");
        }
        if (Html.hasTag(Canonicalizer.canonicalize(value).value())) {
            throw new Refused(ProblemType.SUSPICIOUS_INPUT, "Field '" + printable(field) + "' contains markup");
        }
    }

    /** Letters, digits and '_' only, at most 64: the detectors have nothing to find in it. */
    static boolean plainWord(String value) {
        if (value.isEmpty() || value.length() > 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** A name from the request, safe to echo in a problem and the audit trail. */
    public static String printable(String name) {
        if (name.length() <= 40 && name.chars().allMatch(InputInspector::printableChar)) {
            return name; // the usual case, unchanged
        }
        StringBuilder kept = new StringBuilder();
        name.codePoints().limit(40).forEach(c -> kept.append(printableChar(c) ? (char) c : '?'));
        return name.codePoints().count() > 40 ? kept.append("...").toString() : kept.toString();
    }

    private static boolean printableChar(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c == '.'
                || c == '-';
    }

    private static Result refused(ProblemType type, String detail) {
        return new Result(new Refusal(type, detail), null, List.of());
    }

    /** One walk over a body: remembers whether a value was replaced and what looked suspicious. */
    private static final class Walk {
        private final String path;
        private final List<Suspicion> suspicions = new ArrayList<>();
        private boolean changed;

        Walk(String path) {
            this.path = path;
        }

        /** Visits {@code node}, held by {@code field} of {@code owner}; returns its replacement, or null. */
        JsonNode visit(JsonNode node, String field, JsonNode owner) {
            if (node instanceof ObjectNode object) {
                visitObject(object, field);
            } else if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    JsonNode replaced = visit(array.get(i), field, owner);
                    if (replaced != null) {
                        array.set(i, replaced);
                        changed = true;
                    }
                }
            } else if (node.isTextual()) {
                return owner == null ? judgeTopLevel(node.asText()) : judge(node.asText(), field, owner);
            }
            return null;
        }

        private JsonNode judgeTopLevel(String value) {
            judgeTyped("The body", value);
            return null;
        }

        private void visitObject(ObjectNode object, String field) {
            boolean freeFormKeys = InputFields.freeFormKeys(path, field);
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<Map.Entry<String, JsonNode>> replacements = new ArrayList<>();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                String name = entry.getKey();
                if (!freeFormKeys && (name.startsWith("$") || name.contains(".") || FORBIDDEN_NAMES.contains(name))) {
                    throw new Refused(ProblemType.INVALID_BODY, "Field name '" + printable(name) + "' is not allowed");
                }
                if (freeFormKeys && Html.hasTag(name)) {
                    throw new Refused(ProblemType.SUSPICIOUS_INPUT, "A key of '" + printable(field) + "' contains markup");
                }
                // A free-form map's values are named after the map (typed: the bot flow's target states);
                // objects among them have field names of their own again.
                JsonNode replaced = visit(entry.getValue(), freeFormKeys ? field + "[]" : name, object);
                if (replaced != null) {
                    replacements.add(Map.entry(name, replaced));
                }
            }
            for (Map.Entry<String, JsonNode> replacement : replacements) {
                object.set(replacement.getKey(), replacement.getValue());
                changed = true;
            }
        }

        private JsonNode judge(String value, String field, JsonNode owner) {
            return switch (InputFields.kind(path, field, owner)) {
                case SECRET -> null;
                case URL -> {
                    judgeUrl(field, value);
                    yield null;
                }
                case TYPED -> {
                    judgeTyped("Field '" + printable(field) + "'", value);
                    yield null;
                }
                case FREE_TEXT -> {
                    score(value, field);
                    String inert = Html.inert(value);
                    yield inert.equals(value) ? null : TextNode.valueOf(inert);
                }
                case HTML -> {
                    score(value, field);
                    String clean = Html.clean(value);
                    yield clean.equals(value) ? null : TextNode.valueOf(clean);
                }
            };
        }

        private void score(String value, String field) {
            Canonicalizer.Canonical canonical = Canonicalizer.canonicalize(value);
            SqlInjectionDetector.Verdict verdict = SqlInjectionDetector.analyse(canonical.value());
            if (verdict.injection() || verdict.score() >= SUSPICION_SCORE || canonical.reencoded()) {
                suspicions.add(new Suspicion(field, Math.max(verdict.score(), canonical.reencoded() ? SUSPICION_SCORE : 0),
                        verdict.fingerprint()));
            }
        }
    }

    /** Ends a walk with a refusal; no stack trace (it is an answer, not an error). */
    private static final class Refused extends RuntimeException {
        private final Refusal refusal;

        Refused(ProblemType type, String detail) {
            super(detail, null, false, false);
            this.refusal = new Refusal(type, detail);
        }
    }
}
