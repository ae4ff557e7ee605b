package br.com.reistech.workspaces;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The chatbot's states and transitions, as workspace data. On entering a state the bot sends its
 * {@code reply} (a CMS text key) and performs its {@code action}. In a state, an input listed in
 * {@code on} moves to that state; any other input is handled by {@code input}: {@code MENU} counts
 * it as unrecognised, {@code SEARCH} searches the catalog with it (and a number picks one of the
 * results, moving to {@code then}).
 *
 * @param start the state a customer enters after the greeting
 */
public record BotFlow(
        @NotBlank @Size(max = 40) String start,
        @NotNull @Size(min = 1, max = 50) Map<@Pattern(regexp = "[a-z][a-z0-9_]{0,39}") String, @Valid @NotNull State> states) {

    public enum Input { MENU, SEARCH }

    public enum Action { NONE, HANDOFF, CLOSE }

    /**
     * @param reply CMS key sent on entering the state (none when null)
     * @param on exact inputs (lower case, trimmed) and the state each leads to
     * @param then the state a SEARCH pick leads to
     */
    public record State(
            @Size(max = 100) String reply,
            @NotNull Input input,
            @NotNull Action action,
            @NotNull @Size(max = 30) Map<@Size(min = 1, max = 40) String, @NotBlank String> on,
            @Size(max = 40) String then) {
    }

    /** The standard flow: menu → catalog search → quote → hand-off to a person, or close. */
    public static BotFlow defaults() {
        Map<String, State> states = new LinkedHashMap<>();
        states.put("menu", new State("bot.menu", Input.MENU, Action.NONE,
                Map.of("1", "catalog", "2", "handoff", "3", "closed", "produtos", "catalog", "catalogo", "catalog",
                        "catálogo", "catalog", "sair", "closed", "tchau", "closed"), null));
        states.put("catalog", new State("bot.catalog.ask", Input.SEARCH, Action.NONE, Map.of("0", "menu"), "quote"));
        states.put("quote", new State("bot.quote", Input.MENU, Action.NONE,
                Map.of("1", "handoff", "comprar", "handoff", "0", "menu"), null));
        states.put("handoff", new State("bot.handoff", Input.MENU, Action.HANDOFF, Map.of(), null));
        states.put("closed", new State("bot.bye", Input.MENU, Action.CLOSE, Map.of(), null));
        return new BotFlow("menu", states);
    }
}
