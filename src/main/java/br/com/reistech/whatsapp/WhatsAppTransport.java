package br.com.reistech.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;

/** Delivers one outbound message: to Meta's Cloud API, or only recorded in simulated mode. */
interface WhatsAppTransport {

    /**
     * @param type text, template, image, document, audio or video
     * @param content the text body, or the template / media object as Meta documents it
     */
    record Outgoing(String to, String type, String text, JsonNode content) {
    }

    /** A wamid on success; otherwise Meta's error code (null when there was no answer) and title. */
    record Result(String wamid, Integer errorCode, String errorTitle, boolean retryable) {
        static Result sent(String wamid) {
            return new Result(wamid, null, null, false);
        }

        boolean ok() {
            return wamid != null;
        }
    }

    Result send(WhatsAppAccount account, Outgoing message);
}
