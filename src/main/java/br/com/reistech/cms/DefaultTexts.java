package br.com.reistech.cms;

import java.util.Map;

/**
 * The bot's texts when a workspace has not written its own (pt-BR). Placeholders in braces are
 * filled by the bot: {nome}, {loja}, {itens}, {busca}, {produto}, {preco}, {estoque}, {horario}.
 */
final class DefaultTexts {

    static final Map<String, String> PT_BR = Map.ofEntries(
            Map.entry("bot.greeting", "Olá{nome}! Bem-vindo(a) à {loja}."),
            Map.entry("bot.menu", "Como posso ajudar?\n1 - Ver produtos e preços\n2 - Falar com um atendente\n3 - Encerrar"),
            Map.entry("bot.catalog.ask", "Digite o nome do produto que você procura (ou 0 para voltar ao menu)."),
            Map.entry("bot.catalog.results",
                    "Encontrei:\n{itens}\nResponda com o número para ver detalhes, busque outro produto ou 0 para voltar."),
            Map.entry("bot.catalog.empty", "Não encontrei \"{busca}\". Tente outro nome ou 0 para voltar ao menu."),
            Map.entry("bot.quote",
                    "{produto}\nPreço: R$ {preco}\nEstoque: {estoque} unidade(s)\n1 - Comprar com um atendente\n0 - Voltar ao menu"),
            Map.entry("bot.handoff", "Certo! Um atendente vai falar com você em instantes."),
            Map.entry("bot.out_of_hours",
                    "Nosso atendimento humano funciona {horario}. Deixe sua mensagem que respondemos assim que abrirmos."),
            Map.entry("bot.unrecognized", "Desculpe, não entendi."),
            Map.entry("bot.offer_human", "Parece que não estou conseguindo ajudar. Digite 2 para falar com um atendente."),
            Map.entry("bot.bye", "Obrigado pelo contato! Quando precisar, é só mandar um oi."));

    private DefaultTexts() {
    }
}
