package br.com.reistech.health;

import java.util.Map;
import java.util.function.IntSupplier;

/** Reports the agents' WebSocket clients connected to this node. Informational: always healthy. */
public final class WebSocketCheck implements HealthCheck {

    private final IntSupplier clients;

    public WebSocketCheck(IntSupplier clients) {
        this.clients = clients;
    }

    @Override
    public String name() {
        return "websocket";
    }

    @Override
    public boolean critical() {
        return false;
    }

    @Override
    public Result run() {
        return Result.healthy(Map.of("clients", clients.getAsInt()));
    }
}
