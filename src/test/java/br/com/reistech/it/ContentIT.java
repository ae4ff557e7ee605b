package br.com.reistech.it;

import static br.com.reistech.it.ApiClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.it.ApiClient.Reply;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catalog and the bot's texts: validation, search, sort, pagination, tenancy. */
@ExtendWith(Environment.Extension.class)
class ContentIT {

    private static final String PASSWORD = "Senha-Forte-2026!";

    private ApiClient api;
    private String admin;
    private String agent;
    private String platform;

    @BeforeEach
    void workspace(Environment env) throws Exception {
        api = env.api();
        platform = env.platformToken();
        String slug = ApiClient.uniqueSlug("content");
        UUID workspace = api.workspace(platform, slug);
        api.user(platform, workspace, "admin@content.example", "ADMIN", PASSWORD);
        api.user(platform, workspace, "agente@content.example", "AGENT", PASSWORD);
        admin = api.tokens(slug, "admin@content.example", PASSWORD).access();
        agent = api.tokens(slug, "agente@content.example", PASSWORD).access();
    }

    private Reply item(String sku, String name, String description, double price, int stock) throws Exception {
        return api.call("POST", "/api/catalog/items", admin, JSON.createObjectNode().put("sku", sku).put("name", name)
                .put("description", description).put("price", price).put("stock", stock));
    }

    @Test
    void searchMatchesEveryWordSortsByATypedFieldAndPaginates() throws Exception {
        item("IP15-128", "iPhone 15", "128 GB preto", 4999.90, 3);
        item("IP15-256", "iPhone 15", "256 GB azul", 5699.90, 1);
        item("S24", "Galaxy S24", "256 GB cinza", 4299.00, 7);
        item("CAPA-100", "Capa 100% silicone", "para iPhone 15", 79.90, 50);

        Reply iphone256 = api.call("GET", "/api/catalog/items?q=iphone%20256", agent, null);
        assertThat(iphone256.body().path("items").findValuesAsText("sku")).containsExactly("IP15-256");

        Reply byPrice = api.call("GET", "/api/catalog/items?q=256&sort=-price", agent, null);
        assertThat(byPrice.body().path("items").findValuesAsText("sku")).containsExactly("IP15-256", "S24");

        Reply page = api.call("GET", "/api/catalog/items?sort=price&page=1&size=2", agent, null);
        assertThat(page.body().path("items").findValuesAsText("sku")).containsExactly("IP15-128", "IP15-256");
        assertThat(page.body().path("total").asInt()).isEqualTo(4);

        Reply literalPercent = api.call("GET", "/api/catalog/items?q=100%25", agent, null);
        assertThat(literalPercent.body().path("items").findValuesAsText("sku")).containsExactly("CAPA-100");
        Reply underscore = api.call("GET", "/api/catalog/items?q=_", agent, null);
        assertThat(underscore.body().path("total").asInt()).isZero();
    }

    @Test
    void unknownSortFieldIsA400NeverSql() throws Exception {
        Reply reply = api.call("GET", "/api/catalog/items?sort=password_hash", agent, null);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text("type")).endsWith("/invalid-parameter");
        assertThat(api.call("GET", "/api/catalog/items", agent, null).status()).isEqualTo(200);
    }

    @Test
    void invalidQueryParametersAreNamedAsQueryViolations() throws Exception {
        Reply reply = api.call("GET", "/api/catalog/items?size=500&page=-1", agent, null);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().path("violations").findValuesAsText("field")).containsExactlyInAnyOrder("size", "page");
        assertThat(reply.body().path("violations").findValuesAsText("in")).containsOnly("query");
    }

    @Test
    void invalidItemsAreRefusedFieldByFieldAndSkusAreUnique() throws Exception {
        Reply bad = api.call("POST", "/api/catalog/items", admin, JSON.createObjectNode().put("sku", "with space")
                .put("name", "").put("price", -1).put("stock", -2));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("violations").findValuesAsText("field"))
                .containsExactlyInAnyOrder("sku", "name", "price", "stock");
        Reply precise = api.call("POST", "/api/catalog/items", admin, JSON.createObjectNode().put("sku", "X1")
                .put("name", "Cabo").put("price", 10.123).put("stock", 1));
        assertThat(precise.status()).isEqualTo(400);
        assertThat(item("DUP", "Um", "", 1, 1).status()).isEqualTo(201);
        assertThat(item("DUP", "Dois", "", 1, 1).status()).isEqualTo(409);
    }

    @Test
    void agentsReadButOnlyAdministratorsWriteAndItemsStayInTheirWorkspace() throws Exception {
        Reply created = item("MOTO-G", "Moto G", "", 1299.00, 2);
        String id = created.text("id");
        ObjectNode change = JSON.createObjectNode().put("sku", "MOTO-G").put("name", "Moto G 5G").put("price", 1199.00)
                .put("stock", 5);
        assertThat(api.call("PUT", "/api/catalog/items/" + id, agent, change).status()).isEqualTo(403);
        Reply updated = api.call("PUT", "/api/catalog/items/" + id, admin, change);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().path("price").decimalValue()).isEqualByComparingTo("1199.00");
        assertThat(api.call("GET", "/api/catalog/items/" + id, platform, null).status()).isEqualTo(404);
        assertThat(api.call("DELETE", "/api/catalog/items/" + id, platform, null).status()).isEqualTo(404);
        assertThat(api.call("DELETE", "/api/catalog/items/" + id, admin, null).status()).isEqualTo(204);
        assertThat(api.call("GET", "/api/catalog/items/" + id, admin, null).status()).isEqualTo(404);
    }

    @Test
    void botTextsFallBackToDefaultsUntilTheWorkspaceWritesItsOwn() throws Exception {
        Reply before = api.call("GET", "/api/cms/texts/bot.greeting", agent, null);
        assertThat(before.body().path("custom").asBoolean()).isFalse();
        assertThat(api.call("PUT", "/api/cms/texts/bot.greeting", agent, JSON.createObjectNode().put("content", "x"))
                .status()).isEqualTo(403);
        assertThat(api.call("PUT", "/api/cms/texts/bot.greeting", admin,
                JSON.createObjectNode().put("content", "Bem-vindo à nossa loja!")).status()).isEqualTo(200);
        Reply after = api.call("GET", "/api/cms/texts/bot.greeting", agent, null);
        assertThat(after.text("content")).isEqualTo("Bem-vindo à nossa loja!");
        assertThat(after.body().path("custom").asBoolean()).isTrue();
        assertThat(api.call("GET", "/api/cms/texts/bot.greeting", platform, null).body().path("custom").asBoolean())
                .isFalse();
        assertThat(api.call("PUT", "/api/cms/texts/Not%20A%20Key", admin,
                JSON.createObjectNode().put("content", "x")).status()).isEqualTo(400);
        assertThat(api.call("DELETE", "/api/cms/texts/bot.greeting", admin, null).status()).isEqualTo(204);
        assertThat(api.call("GET", "/api/cms/texts/bot.greeting", agent, null).body().path("custom").asBoolean()).isFalse();
    }
}
