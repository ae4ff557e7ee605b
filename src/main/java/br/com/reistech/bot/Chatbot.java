package br.com.reistech.bot;

import br.com.reistech.catalog.CatalogItemView;
import br.com.reistech.workspaces.BotFlow;
import br.com.reistech.workspaces.WorkspaceSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One turn of the chatbot: from the customer's state, memory and message to the replies, the new
 * state and memory, and whether the conversation goes to a person or closes. It does no I/O of its
 * own: texts and catalog search are handed in, so every rule is unit-tested.
 * <ol>
 *   <li>No state yet (first contact, or after closing): greet, then enter the flow's start state.</li>
 *   <li>A hand-off keyword anywhere in the message: go to a person (or, when the store is closed,
 *       say when it opens).</li>
 *   <li>An input the state lists: enter that state.</li>
 *   <li>Otherwise the state's input rule: SEARCH searches the catalog (a number picks a result);
 *       MENU counts a miss and repeats the menu, offering a person after too many misses.</li>
 * </ol>
 */
public final class Chatbot {

    /** What the bot knows of the world for one turn. */
    public record Context(WorkspaceSettings.Bot settings, String storeName, String customerName, boolean storeOpen,
                          String openingHours, Function<String, String> texts,
                          Function<String, List<CatalogItemView>> search) {
    }

    /** The outcome of a turn. */
    public record Turn(String state, String data, List<String> replies, boolean handoff, boolean close) {
    }

    private static final int MAX_RESULTS = 5;

    private final ObjectMapper json;

    public Chatbot(ObjectMapper json) {
        this.json = json;
    }

    public Turn handle(Context context, String state, String data, String message) {
        BotFlow flow = context.settings().effectiveFlow();
        ObjectNode memory = memory(data);
        Session session = new Session(context, flow, memory);
        String input = message == null ? "" : message.strip().toLowerCase(Locale.ROOT);
        if (state == null || !flow.states().containsKey(state)) {
            session.say("bot.greeting", Map.of());
            session.enter(flow.start());
        } else if (wantsPerson(context.settings(), input)) {
            session.enter(handoffState(flow).orElse(flow.start()));
        } else {
            BotFlow.State current = flow.states().get(state);
            session.state = state;
            String target = current.on().get(input);
            if (target != null) {
                memory.put("misses", 0);
                session.enter(target);
            } else if (current.input() == BotFlow.Input.SEARCH) {
                session.search(current, input, message.strip());
            } else {
                session.miss(current);
            }
        }
        return new Turn(session.state, memory.toString(), List.copyOf(session.replies), session.handoff, session.close);
    }

    private static boolean wantsPerson(WorkspaceSettings.Bot settings, String input) {
        for (String keyword : settings.handoffKeywords()) {
            if ((" " + input + " ").contains(" " + keyword.toLowerCase(Locale.ROOT) + " ")) {
                return true;
            }
        }
        return false;
    }

    private static java.util.Optional<String> handoffState(BotFlow flow) {
        return flow.states().entrySet().stream()
                .filter(e -> e.getValue().action() == BotFlow.Action.HANDOFF).map(Map.Entry::getKey).findFirst();
    }

    private ObjectNode memory(String data) {
        try {
            JsonNode node = data == null ? null : json.readTree(data);
            return node instanceof ObjectNode object ? object : json.createObjectNode();
        } catch (Exception unreadable) {
            return json.createObjectNode();
        }
    }

    private static final class Session {
        private final Context context;
        private final BotFlow flow;
        private final ObjectNode memory;
        private final List<String> replies = new ArrayList<>();
        private String state;
        private boolean handoff;
        private boolean close;

        private Session(Context context, BotFlow flow, ObjectNode memory) {
            this.context = context;
            this.flow = flow;
            this.memory = memory;
        }

        void enter(String name) {
            BotFlow.State target = flow.states().get(name);
            memory.put("misses", 0);
            if (target.action() == BotFlow.Action.HANDOFF && !context.storeOpen()) {
                say("bot.out_of_hours", Map.of());
                state = flow.start();
                return;
            }
            state = name;
            if (target.reply() != null) {
                say(target.reply(), quotePlaceholders());
            }
            if (target.action() == BotFlow.Action.HANDOFF) {
                handoff = true;
            } else if (target.action() == BotFlow.Action.CLOSE) {
                close = true;
                state = null;
                memory.removeAll();
            }
        }

        void search(BotFlow.State current, String input, String original) {
            ArrayNode results = memory.withArray("results");
            if (input.matches("[0-9]{1,2}") && !results.isEmpty()) {
                int pick = Integer.parseInt(input);
                if (pick >= 1 && pick <= results.size()) {
                    memory.set("picked", results.get(pick - 1));
                    enter(current.then());
                    return;
                }
            }
            List<CatalogItemView> found = context.search().apply(original);
            results.removeAll();
            StringBuilder list = new StringBuilder();
            for (int i = 0; i < Math.min(MAX_RESULTS, found.size()); i++) {
                CatalogItemView item = found.get(i);
                results.addObject().put("name", item.name()).put("price", money(item))
                        .put("stock", item.stock()).put("sku", item.sku());
                list.append(i + 1).append(" - ").append(item.name()).append(" (R$ ").append(money(item)).append(")\n");
            }
            if (found.isEmpty()) {
                say("bot.catalog.empty", Map.of("busca", original));
            } else {
                say("bot.catalog.results", Map.of("itens", list.toString().strip()));
            }
        }

        void miss(BotFlow.State current) {
            int misses = memory.path("misses").asInt() + 1;
            memory.put("misses", misses);
            if (misses >= context.settings().maxUnrecognized()) {
                memory.put("misses", 0);
                say("bot.offer_human", Map.of());
            } else {
                say("bot.unrecognized", Map.of());
                if (current.reply() != null) {
                    say(current.reply(), quotePlaceholders());
                }
            }
        }

        void say(String key, Map<String, String> values) {
            Map<String, String> all = new HashMap<>(values);
            String name = context.customerName();
            all.putIfAbsent("nome", name == null || name.isBlank() ? "" : ", " + name.strip());
            all.putIfAbsent("loja", context.storeName());
            all.putIfAbsent("horario", context.openingHours());
            String text = context.texts().apply(key);
            for (Map.Entry<String, String> value : all.entrySet()) {
                text = text.replace("{" + value.getKey() + "}", value.getValue());
            }
            replies.add(text);
        }

        private Map<String, String> quotePlaceholders() {
            JsonNode picked = memory.path("picked");
            if (picked.isMissingNode()) {
                return Map.of();
            }
            return Map.of("produto", picked.path("name").asText(), "preco", picked.path("price").asText(),
                    "estoque", picked.path("stock").asText());
        }

        private static String money(CatalogItemView item) {
            NumberFormat format = NumberFormat.getNumberInstance(Locale.forLanguageTag("pt-BR"));
            format.setMinimumFractionDigits(2);
            format.setMaximumFractionDigits(2);
            return format.format(item.price().setScale(2, RoundingMode.HALF_UP));
        }
    }
}
