package br.com.reistech.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * {@code POST {graph}/{version}/{phone-number-id}/messages} with the account's token, in the shapes
 * Meta documents for text, template and media messages. HttpURLConnection is used on purpose: it
 * starts no background thread that could outlive an undeploy.
 */
final class CloudApiTransport implements WhatsAppTransport {

    private final String graphUrl;
    private final Duration timeout;
    private final ObjectMapper json;

    CloudApiTransport(String graphUrl, Duration timeout, ObjectMapper json) {
        this.graphUrl = graphUrl;
        this.timeout = timeout;
        this.json = json;
    }

    @Override
    public Result send(WhatsAppAccount account, Outgoing message) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload(message));
        } catch (IOException impossible) {
            return new Result(null, null, "unserialisable message", false);
        }
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create(graphUrl + "/" + account.graphVersion() + "/"
                    + account.phoneNumberId() + "/messages").toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setDoOutput(true);
            connection.setRequestProperty("Authorization", "Bearer " + account.accessToken());
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            JsonNode answer = read(status < 400 ? connection.getInputStream() : connection.getErrorStream());
            if (status < 300) {
                String wamid = answer.path("messages").path(0).path("id").asText(null);
                return wamid == null ? new Result(null, null, "no message id in Meta's answer", false) : Result.sent(wamid);
            }
            JsonNode error = answer.path("error");
            Integer code = error.has("code") ? error.path("code").asInt() : null;
            String title = GraphErrors.title(code, error.path("message").asText("HTTP " + status));
            return new Result(null, code, title, status >= 500 || GraphErrors.retryable(code));
        } catch (ConnectException refused) {
            return new Result(null, null, "WhatsApp Cloud API unreachable", true);
        } catch (IOException unknownOutcome) {
            // The request may have reached Meta: not retried, so nothing is sent twice.
            return new Result(null, null, "No answer from the WhatsApp Cloud API", false);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private JsonNode read(InputStream in) throws IOException {
        if (in == null) {
            return json.createObjectNode();
        }
        try (in) {
            byte[] bytes = in.readNBytes(64 * 1024);
            try {
                return json.readTree(bytes);
            } catch (IOException notJson) {
                return json.createObjectNode();
            }
        }
    }

    private ObjectNode payload(Outgoing message) {
        ObjectNode payload = json.createObjectNode()
                .put("messaging_product", "whatsapp")
                .put("recipient_type", "individual")
                .put("to", message.to())
                .put("type", message.type());
        if ("text".equals(message.type())) {
            payload.putObject("text").put("preview_url", false).put("body", message.text());
        } else {
            payload.set(message.type(), message.content());
        }
        return payload;
    }
}
