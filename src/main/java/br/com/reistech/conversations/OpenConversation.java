package br.com.reistech.conversations;

import java.util.UUID;

/** A customer's open conversation: its id and status (BOT, QUEUED or ACTIVE). */
public record OpenConversation(UUID id, String status) {

    /** True while a person owns the conversation or it waits for one: the bot stays silent. */
    public boolean withHumans() {
        return "QUEUED".equals(status) || "ACTIVE".equals(status);
    }
}
