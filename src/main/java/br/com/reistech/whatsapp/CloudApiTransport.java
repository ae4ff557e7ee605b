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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * {@code POST {graph}/{version}/{phone-number-id}/messages} with the account's token, in the shapes
 * Meta documents for text, template and media messages; media lookups ({@code GET /{media-id}}),
 * downloads and uploads ({@code POST /{phone-number-id}/media}). HttpURLConnection is used on purpose: it
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

    @Override
    public void download(WhatsAppAccount account, String mediaId, long maxBytes, MediaSink sink) throws IOException {
        HttpURLConnection lookup = open(graphUrl + "/" + account.graphVersion() + "/"
                + URLEncoder.encode(mediaId, StandardCharsets.UTF_8) + "?phone_number_id=" + account.phoneNumberId(), account);
        JsonNode described;
        try {
            int status = lookup.getResponseCode();
            described = read(status < 400 ? lookup.getInputStream() : lookup.getErrorStream());
            if (status >= 300) {
                throw new IOException("Meta refused the media lookup: HTTP " + status + " "
                        + described.path("error").path("message").asText(""));
            }
        } finally {
            lookup.disconnect();
        }
        String url = described.path("url").asText("");
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw new IOException("Meta's media lookup gave no download URL");
        }
        if (described.path("file_size").asLong(0) > maxBytes) {
            throw new IOException("media larger than " + maxBytes + " bytes");
        }
        HttpURLConnection file = open(url, account);
        try {
            int status = file.getResponseCode();
            if (status >= 300) {
                throw new IOException("Meta refused the media download: HTTP " + status);
            }
            if (file.getContentLengthLong() > maxBytes) {
                throw new IOException("media larger than " + maxBytes + " bytes");
            }
            try (InputStream in = file.getInputStream()) {
                sink.accept(described.path("mime_type").asText(file.getContentType()), in);
            }
        } finally {
            file.disconnect();
        }
    }

    @Override
    public Upload upload(WhatsAppAccount account, Path file, String contentType, String fileName) {
        String boundary = "reistech-" + UUID.randomUUID();
        String name = fileName == null ? "media" : fileName.replaceAll("[\\r\\n\"]", "_");
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\n" + contentType + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpURLConnection connection = null;
        try {
            long size = Files.size(file);
            connection = open(graphUrl + "/" + account.graphVersion() + "/" + account.phoneNumberId() + "/media", account);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "multipart/form-data; boundary=" + boundary);
            connection.setFixedLengthStreamingMode(head.length + size + tail.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(head);
                Files.copy(file, out);
                out.write(tail);
            }
            int status = connection.getResponseCode();
            JsonNode answer = read(status < 400 ? connection.getInputStream() : connection.getErrorStream());
            String id = answer.path("id").asText(null);
            if (status < 300 && id != null) {
                return new Upload(id, null);
            }
            JsonNode error = answer.path("error");
            Integer code = error.has("code") ? error.path("code").asInt() : null;
            return new Upload(null, new Result(null, code, GraphErrors.title(code,
                    error.path("message").asText("media upload refused: HTTP " + status)), status >= 500));
        } catch (IOException failed) {
            return new Upload(null, new Result(null, null, "Media upload to the WhatsApp Cloud API failed", false));
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private HttpURLConnection open(String url, WhatsAppAccount account) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout((int) timeout.toMillis());
        connection.setReadTimeout((int) timeout.toMillis());
        connection.setInstanceFollowRedirects(false);
        connection.setRequestProperty("Authorization", "Bearer " + account.accessToken());
        return connection;
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
