package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.it.ApiClient.Reply;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The attack and legitimate-value corpora of {@code src/test/resources/corpus} (sources in its
 * SOURCES.md) sent to the running application through the whole filter chain, with the figures
 * docs/SECURITY.md reports: SQL injection blocked in typed fields, XSS never stored active, and
 * legitimate Brazilian-Portuguese values neither blocked nor altered.
 */
@ExtendWith(Environment.Extension.class)
class InputCorpusIT {

    private static final String PASSWORD = "Senha-Forte-2026!";
    /** Elements that run script or load active content whatever their attributes. */
    private static final Set<String> ACTIVE_ELEMENTS = Set.of("script", "iframe", "frame", "frameset", "object", "embed",
            "applet", "meta", "link", "base", "style", "form", "svg", "math", "template", "xml", "import", "portal");
    private static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "action", "formaction", "data", "xlink:href",
            "background", "dynsrc", "lowsrc", "poster", "codebase", "srcset", "ping", "cite", "longdesc");

    private ApiClient api;
    private String admin;
    private UUID workspace;

    @BeforeEach
    void workspace(Environment env) throws Exception {
        api = env.api();
        String platform = env.platformToken();
        String slug = ApiClient.uniqueSlug("corpus");
        workspace = api.workspace(platform, slug);
        api.user(platform, workspace, "admin@corpus.example", "ADMIN", PASSWORD);
        admin = api.tokens(slug, "admin@corpus.example", PASSWORD).access();
    }

    @Test
    void atLeast99PercentOfSqlInjectionPayloadsInTypedFieldsAreBlocked() throws Exception {
        List<String> payloads = lines("/corpus/sqli.txt");
        int inQuery = 0;
        int inBody = 0;
        List<String> missed = new ArrayList<>();
        for (String payload : payloads) {
            Reply query = api.call("GET", "/api/catalog/items?sort=" + URLEncoder.encode(payload, StandardCharsets.UTF_8),
                    admin, null);
            Reply body = api.call("POST", "/api/catalog/items", admin, JSON.createObjectNode().put("sku", payload)
                    .put("name", "Capa").put("price", 10).put("stock", 1));
            inQuery += blocked(query) ? 1 : 0;
            inBody += blocked(body) ? 1 : 0;
            if (!blocked(query) || !blocked(body)) {
                missed.add(payload);
            }
        }
        System.out.printf("SQL injection corpus: %d payloads; blocked as a query parameter %d (%.1f%%), "
                        + "as a typed JSON field %d (%.1f%%); missed somewhere: %s%n", payloads.size(), inQuery,
                100.0 * inQuery / payloads.size(), inBody, 100.0 * inBody / payloads.size(), missed);
        assertThat(payloads).hasSizeGreaterThanOrEqualTo(300);
        assertThat(inQuery).isGreaterThanOrEqualTo((int) Math.ceil(payloads.size() * 0.99));
        assertThat(inBody).isGreaterThanOrEqualTo((int) Math.ceil(payloads.size() * 0.99));
    }

    @Test
    void noXssPayloadIsStoredWithActiveContent() throws Exception {
        List<String> payloads = lines("/corpus/xss.txt");
        int stored = 0;
        List<String> active = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            String payload = payloads.get(i);
            Reply html = api.call("PUT", "/api/cms/texts/xss.html." + i, admin,
                    JSON.createObjectNode().put("format", "html").put("content", payload));
            if (html.status() == 200) {
                stored++;
                String kept = api.call("GET", "/api/cms/texts/xss.html." + i, admin, null).text("content");
                if (activeHtml(kept)) {
                    active.add("html: " + payload + " -> " + kept);
                }
            }
            Reply text = api.call("PUT", "/api/cms/texts/xss.text." + i, admin, JSON.createObjectNode().put("content", payload));
            Reply item = api.call("POST", "/api/catalog/items", admin, JSON.createObjectNode().put("sku", "XSS-" + i)
                    .put("name", "Item " + i).put("description", payload)
                    .put("price", 1).put("stock", 1));
            assertThat(text.status()).as(payload).isEqualTo(200);
            assertThat(item.status()).as(payload).isEqualTo(201);
            stored += 2;
            String plain = api.call("GET", "/api/cms/texts/xss.text." + i, admin, null).text("content");
            Reply fetched = api.call("GET", "/api/catalog/items/" + item.text("id"), admin, null);
            for (String value : List.of(plain, fetched.text("description"))) {
                if (hasMarkup(value)) {
                    active.add("text: " + payload + " -> " + value);
                }
            }
        }
        System.out.printf("XSS corpus: %d payloads, %d values stored (HTML CMS text, plain CMS text, catalog "
                + "description); stored with active content: %d %s%n", payloads.size(), stored, active.size(), active);
        assertThat(payloads).hasSizeGreaterThanOrEqualTo(300);
        assertThat(active).isEmpty();
    }

    @Test
    void atMostOnePercentOfLegitimateValuesIsBlockedOrAltered(Environment env) throws Exception {
        UUID user = api.user(env.platformToken(), workspace, "pessoa@corpus.example", "AGENT", PASSWORD);
        List<String> lines = lines("/corpus/legit-ptbr.tsv");
        List<String> harmed = new ArrayList<>();
        int n = 0;
        for (String line : lines) {
            String[] parts = line.split("\t", 2);
            String kind = parts[0];
            String value = parts[1];
            n++;
            String outcome = switch (kind) {
                case "name" -> storedInCatalog("name", value, n);
                case "address", "description" -> storedInCatalog("description", value, n);
                case "message" -> storedInCms(value, n);
                case "email", "cpf" -> storedInUser(env, user, kind, value);
                case "phone" -> searched(value);
                default -> throw new AssertionError("unknown kind " + kind);
            };
            if (outcome != null) {
                harmed.add(kind + " '" + value + "': " + outcome);
            }
        }
        System.out.printf("Legitimate corpus: %d values; blocked or altered: %d (%.2f%%) %s%n", lines.size(), harmed.size(),
                100.0 * harmed.size() / lines.size(), harmed);
        assertThat(lines).hasSizeGreaterThanOrEqualTo(300);
        assertThat(harmed.size()).isLessThanOrEqualTo(lines.size() / 100);
    }

    private String storedInCatalog(String field, String value, int n) throws Exception {
        Reply created = api.call("POST", "/api/catalog/items", admin, JSON.createObjectNode().put("sku", "LEGIT-" + n)
                .put("name", field.equals("name") ? value : "Item").put("description", field.equals("description") ? value : null)
                .put("price", 1).put("stock", 1));
        if (created.status() != 201) {
            return created.status() + " " + created.text("type");
        }
        String kept = api.call("GET", "/api/catalog/items/" + created.text("id"), admin, null).text(field);
        return kept.equals(value) ? null : "stored as '" + kept + "'";
    }

    private String storedInCms(String value, int n) throws Exception {
        Reply put = api.call("PUT", "/api/cms/texts/legit." + n, admin, JSON.createObjectNode().put("content", value));
        if (put.status() != 200) {
            return put.status() + " " + put.text("type");
        }
        String kept = api.call("GET", "/api/cms/texts/legit." + n, admin, null).text("content");
        return kept.equals(value) ? null : "stored as '" + kept + "'";
    }

    private String storedInUser(Environment env, UUID user, String kind, String value) throws Exception {
        String email = kind.equals("email") ? value : "pessoa." + UUID.randomUUID().toString().substring(0, 8) + "@corpus.example";
        Reply put = api.call("PUT", "/api/users/" + user, admin, JSON.createObjectNode().put("email", email)
                .put("nome", "Pessoa de Teste").put("cpf", kind.equals("cpf") ? value : null).put("role", "AGENT"));
        if (put.status() != 200) {
            return put.status() + " " + put.text("type") + " " + put.body().path("violations");
        }
        try (Connection db = env.jdbc();
             PreparedStatement read = db.prepareStatement("select email, cpf from app_user where id = ?")) {
            read.setObject(1, user);
            try (ResultSet row = read.executeQuery()) {
                row.next();
                String kept = kind.equals("email") ? row.getString(1) : row.getString(2);
                String expected = kind.equals("email") ? value.toLowerCase(Locale.ROOT) : value.replaceAll("[^0-9]", "");
                return expected.equals(kept) ? null : "stored as '" + kept + "'";
            }
        }
    }

    private String searched(String value) throws Exception {
        Reply search = api.call("GET", "/api/catalog/items?q=" + URLEncoder.encode(value, StandardCharsets.UTF_8), admin, null);
        return search.status() == 200 ? null : search.status() + " " + search.text("type");
    }

    /** Refused by the sanitization filter as an attack (not by the application's own validation). */
    private static boolean blocked(Reply reply) {
        return reply.status() == 400 && reply.text("type").endsWith("/suspicious-input");
    }

    /** Any element at all: a plain-text value must come back without markup a browser would parse. */
    private static boolean hasMarkup(String value) {
        return Jsoup.parseBodyFragment(value).body().children().size() > 0;
    }

    /** Whether a browser given this HTML could run script: active elements, handlers, script URLs, CSS expressions. */
    static boolean activeHtml(String html) {
        for (Element element : Jsoup.parseBodyFragment(html).body().getAllElements()) {
            if (ACTIVE_ELEMENTS.contains(element.normalName())) {
                return true;
            }
            for (Attribute attribute : element.attributes()) {
                String name = attribute.getKey().toLowerCase(Locale.ROOT);
                String value = attribute.getValue().replaceAll("[\\s\\p{Cntrl}]", "").toLowerCase(Locale.ROOT);
                if (name.startsWith("on") || name.equals("srcdoc") || name.equals("formaction")
                        || (URL_ATTRIBUTES.contains(name) && (value.startsWith("javascript:") || value.startsWith("vbscript:")
                        || value.startsWith("data:")))
                        || (name.equals("style") && (value.contains("expression(") || value.contains("javascript:")
                        || value.contains("-moz-binding") || value.contains("behavior:")))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> lines(String resource) throws Exception {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                InputCorpusIT.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isEmpty()).toList();
        }
    }
}
