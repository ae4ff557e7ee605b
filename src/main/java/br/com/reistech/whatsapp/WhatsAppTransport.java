package br.com.reistech.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Meta's Cloud API as the platform uses it: sends messages, downloads customers' media and uploads
 * media to send. In simulated mode nothing leaves the machine.
 */
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

    /** Receives a downloaded media's bytes and the type Meta gives it. */
    interface MediaSink {
        void accept(String mimeType, InputStream content) throws IOException;
    }

    /**
     * Downloads a customer's media: asks Meta where media {@code mediaId} is, then reads it into
     * {@code sink}, refusing more than {@code maxBytes}. Throws with a short reason on failure.
     */
    void download(WhatsAppAccount account, String mediaId, long maxBytes, MediaSink sink) throws IOException;

    /** Meta's id for an uploaded file, or the failure. */
    record Upload(String mediaId, Result failure) {
    }

    /** Uploads a file to Meta for sending from {@code account}'s number. */
    Upload upload(WhatsAppAccount account, Path file, String contentType, String fileName);
}
