package br.com.reistech.bot;

import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.catalog.CatalogItemView;
import br.com.reistech.web.Json;
import br.com.reistech.workspaces.WorkspaceSettings;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChatbotTest {

    private final Chatbot bot = new Chatbot(Json.newMapper());
    private final WorkspaceSettings.Bot settings = WorkspaceSettings.defaults().bot();
    private final CatalogItemView iphone = new CatalogItemView(UUID.randomUUID(), "IP15", "iPhone 15", "128 GB",
            new BigDecimal("4999.9"), 3, true, Instant.now());

    private Chatbot.Context context(boolean open) {
        return new Chatbot.Context(settings, "Loja Centro", "Maria", open, "seg 09:00-18:00",
                key -> "[" + key + "]{nome}|{loja}|{itens}|{produto}|{preco}|{estoque}|{busca}",
                query -> query.toLowerCase().contains("iphone") ? List.of(iphone) : List.of());
    }

    @Test
    void firstMessageIsGreetedAndLandsInTheMenu() {
        Chatbot.Turn turn = bot.handle(context(true), null, "{}", "oi");
        assertThat(turn.state()).isEqualTo("menu");
        assertThat(turn.replies()).hasSize(2);
        assertThat(turn.replies().get(0)).startsWith("[bot.greeting], Maria|Loja Centro");
        assertThat(turn.replies().get(1)).startsWith("[bot.menu]");
    }

    @Test
    void menuOptionLeadsToTheCatalogAndASearchAnswersFromIt() {
        Chatbot.Turn catalog = bot.handle(context(true), "menu", "{}", "1");
        assertThat(catalog.state()).isEqualTo("catalog");
        Chatbot.Turn results = bot.handle(context(true), "catalog", catalog.data(), "iPhone");
        assertThat(results.replies()).singleElement().asString().startsWith("[bot.catalog.results]")
                .contains("1 - iPhone 15 (R$ 4.999,90)");
        Chatbot.Turn quote = bot.handle(context(true), "catalog", results.data(), "1");
        assertThat(quote.state()).isEqualTo("quote");
        assertThat(quote.replies()).singleElement().asString().contains("|iPhone 15|4.999,90|3|");
    }

    @Test
    void searchWithoutResultsSaysSoWithTheQuery() {
        Chatbot.Turn turn = bot.handle(context(true), "catalog", "{}", "galaxy");
        assertThat(turn.replies()).singleElement().asString().startsWith("[bot.catalog.empty]").endsWith("|galaxy");
        assertThat(turn.state()).isEqualTo("catalog");
    }

    @Test
    void handoffKeywordAnywhereQueuesTheConversation() {
        Chatbot.Turn turn = bot.handle(context(true), "catalog", "{}", "quero falar com um atendente por favor");
        assertThat(turn.handoff()).isTrue();
        assertThat(turn.state()).isEqualTo("handoff");
        assertThat(turn.replies()).singleElement().asString().startsWith("[bot.handoff]");
    }

    @Test
    void outsideBusinessHoursTheBotSaysWhenInsteadOfQueueing() {
        Chatbot.Turn turn = bot.handle(context(false), "menu", "{}", "2");
        assertThat(turn.handoff()).isFalse();
        assertThat(turn.replies()).singleElement().asString().startsWith("[bot.out_of_hours]");
        assertThat(turn.state()).isEqualTo("menu");
    }

    @Test
    void repeatedNonsenseEndsInAnOfferOfAPerson() {
        Chatbot.Turn first = bot.handle(context(true), "menu", "{}", "blá");
        assertThat(first.replies()).hasSize(2).first().asString().startsWith("[bot.unrecognized]");
        Chatbot.Turn second = bot.handle(context(true), "menu", first.data(), "blé");
        Chatbot.Turn third = bot.handle(context(true), "menu", second.data(), "bli");
        assertThat(third.replies()).singleElement().asString().startsWith("[bot.offer_human]");
    }

    @Test
    void closingForgetsTheStateSoTheNextMessageIsGreetedAgain() {
        Chatbot.Turn turn = bot.handle(context(true), "menu", "{\"misses\":1}", "3");
        assertThat(turn.close()).isTrue();
        assertThat(turn.state()).isNull();
        assertThat(turn.data()).isEqualTo("{}");
    }

    @Test
    void openingHoursFollowTheStoresTimeZone() {
        var hours = WorkspaceSettings.defaults().businessHours();
        assertThat(BusinessHours.isOpen(hours, Instant.parse("2026-11-25T13:00:00Z"))).isTrue();
        assertThat(BusinessHours.isOpen(hours, Instant.parse("2026-11-25T22:00:00Z"))).isFalse();
        assertThat(BusinessHours.isOpen(hours, Instant.parse("2026-11-29T13:00:00Z"))).isFalse();
    }
}
