package br.com.reistech.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Posts alerts to a Slack incoming webhook ({@code SLACK_WEBHOOK_URL}, optionally to
 * {@code SLACK_CHANNEL}) as {@code {"text": ..., "channel": ...}}. The webhook URL is a secret: it is
 * never logged. HttpURLConnection on purpose, like the WhatsApp transport: no background thread to
 * outlive an undeploy.
 */
public final class SlackSink implements Alerts.Sink {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final URI webhook;
    private final String channel;
    private final ObjectMapper json;

    public SlackSink(URI webhook, String channel, ObjectMapper json) {
        this.webhook = webhook;
        this.channel = channel;
        this.json = json;
    }

    @Override
    public void post(String text) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        if (!channel.isEmpty()) {
            body.put("channel", channel);
        }
        byte[] bytes = json.writeValueAsBytes(body);
        HttpURLConnection connection = (HttpURLConnection) webhook.toURL().openConnection();
        try {
            connection.setConnectTimeout((int) TIMEOUT.toMillis());
            connection.setReadTimeout((int) TIMEOUT.toMillis());
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(bytes);
            }
            int status = connection.getResponseCode();
            try (InputStream answer = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (answer != null) {
                    answer.readAllBytes();
                }
            }
            if (status / 100 != 2) {
                throw new IOException("Slack answered " + status);
            }
        } finally {
            connection.disconnect();
        }
    }
}
