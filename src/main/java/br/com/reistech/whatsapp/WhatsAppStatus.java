package br.com.reistech.whatsapp;

import br.com.reistech.alerts.Alerts;
import br.com.reistech.config.AppConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What this node has seen of each WhatsApp account (phone number id): the last webhook delivery,
 * the last send and its error code, and whether the access token still works. Feeds the
 * {@code whatsapp} health check, the WhatsApp MBean, {@code reistech_whatsapp_sends_total{outcome,code}}
 * and the {@code whatsapp:<phone number id>} alert, raised when Meta refuses the account itself
 * (token, account locked or blocked, payment) and cleared by its next successful send.
 */
@ApplicationScoped
public class WhatsAppStatus {

    /** Graph error codes that concern the account, not one message. */
    static final Set<Integer> ACCOUNT_ERRORS = Set.of(GraphErrors.TOKEN, 10, 200, 368, 131031, 131042, 131048, 133010);

    private final MeterRegistry metrics;
    private final Alerts alerts;
    private final Clock clock;
    private final boolean simulated;
    private final ConcurrentMap<String, State> states = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> sends = new ConcurrentHashMap<>();

    /** One account as this node saw it; {@code null} times: not since start. */
    public record State(Instant lastWebhookAt, Instant lastSendAt, Integer lastErrorCode, Instant lastErrorAt,
                        boolean accountFailing) {
        static final State NONE = new State(null, null, null, null, false);
    }

    @Inject
    public WhatsAppStatus(MeterRegistry metrics, Alerts alerts, Clock clock, AppConfig config) {
        this.metrics = metrics;
        this.alerts = alerts;
        this.clock = clock;
        this.simulated = config.whatsapp().mode() == AppConfig.WhatsAppMode.SIMULATED;
    }

    void webhookReceived(String phoneNumberId) {
        Instant now = clock.instant();
        states.compute(phoneNumberId, (id, old) -> {
            State base = old == null ? State.NONE : old;
            return new State(now, base.lastSendAt(), base.lastErrorCode(), base.lastErrorAt(), base.accountFailing());
        });
    }

    void sent(String phoneNumberId) {
        count("sent", null);
        State before = states.get(phoneNumberId);
        states.compute(phoneNumberId, (id, old) -> {
            State base = old == null ? State.NONE : old;
            return new State(base.lastWebhookAt(), clock.instant(), base.lastErrorCode(), base.lastErrorAt(), false);
        });
        if (before != null && before.accountFailing()) {
            alerts.observe("whatsapp:" + phoneNumberId, false, "");
        }
    }

    void failed(String phoneNumberId, Integer code, String title) {
        count("failed", code);
        boolean account = code != null && ACCOUNT_ERRORS.contains(code);
        Instant now = clock.instant();
        states.compute(phoneNumberId, (id, old) -> {
            State base = old == null ? State.NONE : old;
            return new State(base.lastWebhookAt(), now, code, now, account || base.accountFailing());
        });
        if (account) {
            alerts.observe("whatsapp:" + phoneNumberId, true,
                    "Meta refuses sends from phone number id " + phoneNumberId + ": error " + code + " (" + title + ")");
        }
    }

    private void count(String outcome, Integer code) {
        String key = outcome + ":" + code;
        sends.computeIfAbsent(key, k -> Counter.builder("reistech.whatsapp.sends")
                .description("Messages sent to WhatsApp by outcome and Graph error code")
                .tags("outcome", outcome, "code", code == null ? "none" : code.toString())
                .register(metrics)).increment();
    }

    public boolean simulated() {
        return simulated;
    }

    /** The states as the health report and the MBean show them. */
    public Map<String, Map<String, Object>> figures() {
        Map<String, Map<String, Object>> figures = new TreeMap<>();
        states.forEach((id, state) -> {
            Map<String, Object> figure = new LinkedHashMap<>();
            figure.put("lastWebhookAt", String.valueOf(state.lastWebhookAt()));
            figure.put("lastSendAt", String.valueOf(state.lastSendAt()));
            figure.put("lastSendErrorCode", state.lastErrorCode() == null ? "none" : state.lastErrorCode().toString());
            figure.put("tokenValid", !(state.accountFailing() && Integer.valueOf(GraphErrors.TOKEN).equals(state.lastErrorCode())));
            figure.put("accountFailing", state.accountFailing());
            figures.put(id, figure);
        });
        return figures;
    }

    public List<String> failingAccounts() {
        return states.entrySet().stream().filter(e -> e.getValue().accountFailing()).map(Map.Entry::getKey).sorted().toList();
    }
}
