package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The same WAR, unchanged, runs on Tomcat 11. */
@ExtendWith(Environment.Extension.class)
class Tomcat11IT {

    @Test
    void sameWarBecomesReadyOnTomcat11(Environment env) throws Exception {
        try (TomcatServer tomcat11 = TomcatServer.start(Path.of(System.getProperty("it.tomcat11.home")),
                env.workDir.resolve("tomcat11"), env.war, env.appConfig("tomcat11", Map.of()))) {
            assertThat(tomcat11.get("/ready").statusCode()).isEqualTo(200);
            assertThat(tomcat11.console()).contains("Apache Tomcat/11.");
            assertThat(tomcat11.get("/api/no-such-thing").headers().firstValue("Content-Type").orElse(""))
                    .startsWith("application/problem+json");
        }
    }
}
