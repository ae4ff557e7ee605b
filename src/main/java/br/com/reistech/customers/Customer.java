package br.com.reistech.customers;

import java.time.Instant;
import java.util.UUID;

/**
 * A WhatsApp user of a workspace as the bot sees it.
 *
 * @param bsuid Meta's business-scoped user id, when known
 * @param waId the phone number WhatsApp reports, when known
 * @param fsmState the chatbot state, null before the first message or after a closed conversation
 * @param fsmData the chatbot's working memory (JSON object)
 * @param lastInboundAt opens the 24-hour customer-service window
 * @param version fence: every bot write must present the version it read
 */
public record Customer(UUID id, UUID workspaceId, String bsuid, String waId, String name, String fsmState,
                       String fsmData, Instant lastInboundAt, long version) {

    /** The identifier to address messages to: the phone when known, else the business-scoped id. */
    public String address() {
        return waId != null ? waId : bsuid;
    }
}
