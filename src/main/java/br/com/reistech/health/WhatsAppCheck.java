package br.com.reistech.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The WhatsApp accounts as this node has seen them since start: last webhook received, last send
 * error code, token validity. Degraded while Meta refuses an account itself (invalid token, account
 * locked, payment): its customers get no answers. Not critical: the rest of the product works.
 */
public final class WhatsAppCheck implements HealthCheck {

    private final String mode;
    private final Supplier<Map<String, Map<String, Object>>> accounts;
    private final Supplier<List<String>> failing;

    public WhatsAppCheck(String mode, Supplier<Map<String, Map<String, Object>>> accounts, Supplier<List<String>> failing) {
        this.mode = mode;
        this.accounts = accounts;
        this.failing = failing;
    }

    @Override
    public String name() {
        return "whatsapp";
    }

    @Override
    public boolean critical() {
        return false;
    }

    @Override
    public Result run() {
        List<String> down = failing.get();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("mode", mode);
        figures.put("accounts", accounts.get());
        figures.put("failing", down);
        return down.isEmpty() ? Result.healthy(figures) : Result.degraded(figures);
    }
}
