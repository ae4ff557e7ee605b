package br.com.reistech.sanitization;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The one table of what kind of value each JSON field of the API holds, which decides how the
 * sanitization filter treats it. A field not named here is {@link Kind#TYPED}: an unknown field is
 * judged by the strictest rule, so a new field that holds prose must be added here.
 */
public final class InputFields {

    /** How a value is judged. */
    public enum Kind {
        /** Ids, numbers, enums, e-mails, CPFs, slugs, sort and filter values: SQL injection or markup is refused. */
        TYPED,
        /** Prose typed by people (names, messages, descriptions): scored and logged, never refused; tags made inert. */
        FREE_TEXT,
        /** HTML by declaration (CMS texts with {@code "format": "html"}): cleaned to a safe subset. */
        HTML,
        /** Passwords, tokens and secrets: any character is legitimate; never inspected or logged. */
        SECRET,
        /** Links sent on to Meta: an absolute http(s) URI without markup; percent-encoding is theirs. */
        URL
    }

    private static final Set<String> FREE_TEXT = Set.of(
            "name", "nome", "description", "text", "content", "caption", "reason", "body", "title",
            "handoffKeywords");
    private static final Set<String> SECRET = Set.of(
            "password", "currentPassword", "newPassword", "refreshToken", "accessToken", "appSecret", "verifyToken");
    private static final Set<String> URLS = Set.of("link", "url");
    /** Objects keyed by free-form text: the bot flow's {@code on} (what customers type) and {@code states}. */
    private static final Set<String> FREE_FORM_KEYS = Set.of("on", "states");
    private static final String WORKSPACES = "/api/workspaces";
    private static final String CMS_TEXTS = "/api/cms/texts/";

    private InputFields() {
    }

    /**
     * @param path the request path within the application
     * @param field the field's name (an array's elements take the array's name)
     * @param owner the object that holds the field
     */
    public static Kind kind(String path, String field, JsonNode owner) {
        if (SECRET.contains(field)) {
            return Kind.SECRET;
        }
        if (path.startsWith(CMS_TEXTS) && "content".equals(field) && "html".equals(owner.path("format").asText())) {
            return Kind.HTML;
        }
        if (URLS.contains(field)) {
            return Kind.URL;
        }
        return FREE_TEXT.contains(field) ? Kind.FREE_TEXT : Kind.TYPED;
    }

    /**
     * Whether the keys of the object held by {@code field} are data rather than field names: only in
     * workspace settings, whose bot flow holds them.
     */
    public static boolean freeFormKeys(String path, String field) {
        return path.startsWith(WORKSPACES) && field != null && FREE_FORM_KEYS.contains(field);
    }
}
