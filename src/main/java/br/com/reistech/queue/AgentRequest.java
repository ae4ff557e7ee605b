package br.com.reistech.queue;

import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/** The agent a supervisor assigns or transfers a conversation to. */
public record AgentRequest(@NotNull UUID agentId) {
}
