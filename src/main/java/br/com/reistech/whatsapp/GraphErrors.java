package br.com.reistech.whatsapp;

import java.util.Map;

/** Meta Graph API error codes the product treats specially, with a plain-language title. */
final class GraphErrors {

    static final int OUTSIDE_WINDOW = 131047;
    static final int PAIR_RATE_LIMIT = 131056;
    static final int THROUGHPUT = 130429;
    static final int TOKEN = 190;

    private static final Map<Integer, String> TITLES = Map.of(
            OUTSIDE_WINDOW, "More than 24 hours since the customer's last message: only templates may be sent",
            PAIR_RATE_LIMIT, "Too many messages to this customer in a short time",
            THROUGHPUT, "The phone number's message throughput was exceeded",
            TOKEN, "The WhatsApp access token is invalid or expired",
            131026, "The recipient cannot receive this message",
            131051, "Unsupported message type",
            132001, "The template does not exist or is not approved",
            100, "Invalid parameter in the request to WhatsApp");

    private GraphErrors() {
    }

    static String title(Integer code, String fallback) {
        return code == null ? fallback : TITLES.getOrDefault(code, fallback);
    }

    /** Only a throughput limit is retried; an HTTP 5xx is handled by the caller. */
    static boolean retryable(Integer code) {
        return code != null && code == THROUGHPUT;
    }
}
