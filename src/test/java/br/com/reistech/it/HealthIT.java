package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Environment.Extension.class)
class HealthIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aliveAnswers200(Environment env) throws Exception {
        HttpResponse<String> response = env.tomcat.get("/alive");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("status").asText()).isEqualTo("alive");
    }

    @Test
    void readyAnswers200WithTheDatabaseCheck(Environment env) throws Exception {
        HttpResponse<String> response = env.tomcat.get("/ready");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("ready");
        assertThat(body.path("checks").path("database").path("status").asText()).isEqualTo("healthy");
    }

    @Test
    void healthReportsEveryCheckWithDurationAndPoolFigures(Environment env) throws Exception {
        HttpResponse<String> response = env.tomcat.get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("healthy");
        assertThat(body.path("uptime").isIntegralNumber()).isTrue();
        JsonNode database = body.path("checks").path("database");
        assertThat(database.path("status").asText()).isEqualTo("healthy");
        assertThat(database.path("durationMs").isIntegralNumber()).isTrue();
        assertThat(database.path("pool").path("max").asInt()).isEqualTo(10);
        assertThat(body.path("checks").path("redis").path("status").asText()).isEqualTo("healthy");
    }

    @Test
    void seedCreatedTheDemoWorkspaceAndItsPlatformAdministratorWithABcryptCost12Hash(Environment env) throws Exception {
        try (var connection = env.jdbc();
             var query = connection.prepareStatement("""
                     select u.password_hash, u.role from app_user u join workspace w on w.id = u.workspace_id
                     where w.slug = 'demo' and u.email = ?""")) {
            query.setString(1, Environment.ADMIN_EMAIL);
            try (var rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).startsWith("$2a$12$");
                assertThat(rows.getString(2)).isEqualTo("PLATFORM_ADMIN");
            }
        }
    }
}
