package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reloading and undeploying the application leaves nothing behind: Tomcat's leak detection prints
 * no warning for it (threads, ThreadLocals, JDBC drivers, timers) and its leak finder, which forces
 * a full GC, finds no class loader of the undeployed application still alive.
 */
@ExtendWith(Environment.Extension.class)
class UndeployLeakIT {

    @Test
    void reloadAndUndeployLeaveNoThreadThreadLocalDriverOrClassLoaderBehind(Environment env) throws Exception {
        assertThat(env.tomcat.deploy("/leakcheck", env.war, env.appConfig("leakcheck", Map.of()))).startsWith("OK");
        exercise(env);
        assertThat(env.tomcat.manager("reload?path=/leakcheck")).startsWith("OK");
        exercise(env);
        assertThat(env.tomcat.manager("undeploy?path=/leakcheck")).startsWith("OK");

        assertThat(leakWarnings(env.tomcat.console(), "leakcheck")).isEmpty();
        // The class loader is released 40-60 s after undeploy in a busy JVM (in line with the JDK's
        // 60 s keep-alive of idle common-pool threads, not proven): allow for that, not more.
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(env.tomcat.manager("findleaks?statusLine=true"))
                        .doesNotContain("/leakcheck"));
    }

    /** Touches the database and Redis from Tomcat's worker threads, as real traffic would. */
    private static void exercise(Environment env) throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(env.tomcat.get("/leakcheck/health").statusCode()).isEqualTo(200);
            assertThat(env.tomcat.get("/leakcheck/api/openapi.json").statusCode()).isEqualTo(200);
            env.tomcat.get("/leakcheck/api/diagnostics/failure");
        }
    }

    /** Tomcat's leak warnings about the context {@code name}. */
    static java.util.List<String> leakWarnings(String console, String name) {
        return console.lines()
                .filter(line -> line.contains("web application [" + name + "]"))
                .toList();
    }
}
