package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A bad configuration stops the webapp with one message that names every problem. */
@ExtendWith(Environment.Extension.class)
class ConfigurationIT {

    @Test
    void badConfigurationRefusesToStartListingEveryProblemWithSecretsRedacted(Environment env) throws Exception {
        String secret = "tiny-secret";
        Map<String, String> config = env.appConfig("badconfig", Map.of(
                "DB_URL", "jdbc:mysql://127.0.0.1/reistech",
                "DB_POOL_SIZE", "0",
                "REDIS_MODE", "galaxy",
                "SEED_ADMIN_PASSWORD", secret,
                "LOG_DIR", env.workDir.resolve("logs-badconfig").toString()));

        String answer = env.tomcat.deploy("/badconfig", env.war, config);

        assertThat(answer).startsWith("FAIL");
        String console = env.tomcat.console();
        int start = console.indexOf("ReisTech configuration is invalid (4 problems)");
        assertThat(start).isNotNegative();
        String message = console.substring(start);
        assertThat(message).contains("DB_URL='jdbc:mysql://127.0.0.1/reistech' must start with jdbc:postgresql://")
                .contains("DB_POOL_SIZE='0' must be an integer from 1 to 200")
                .contains("REDIS_MODE='galaxy' must be one of single, sentinel, cluster")
                .containsPattern("SEED_ADMIN_PASSWORD=\\*{3,4} must be 12 to 72 bytes");
        assertThat(console).doesNotContain(secret);
        assertThat(env.tomcat.get("/badconfig/alive").statusCode()).isNotEqualTo(200);
        env.tomcat.manager("undeploy?path=/badconfig");
        assertThat(UndeployLeakIT.leakWarnings(env.tomcat.console(), "badconfig")).isEmpty();
    }
}
