package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reloading and undeploying the application leaves nothing behind: Tomcat's leak detection prints
 * no warning for it (threads, ThreadLocals, JDBC drivers, timers). Whether the undeployed class
 * loader itself is released is not checked: it is not today (open defect, closing note of 2026-11-30).
 */
@ExtendWith(Environment.Extension.class)
class UndeployLeakIT {

    @Test
    void reloadAndUndeployLeaveNoThreadThreadLocalDriverOrTimerBehind(Environment env) throws Exception {
        cycle(env, env.tomcat);
        assertThat(leakWarnings(env.tomcat.console(), "leakcheck")).isEmpty();
    }

    /** Deploys at /leakcheck, exercises, reloads, exercises again and undeploys. */
    private static void cycle(Environment env, TomcatServer tomcat) throws Exception {
        assertThat(tomcat.deploy("/leakcheck", env.war, env.appConfig("leakcheck", Map.of()))).startsWith("OK");
        exercise(tomcat);
        assertThat(tomcat.manager("reload?path=/leakcheck")).startsWith("OK");
        exercise(tomcat);
        assertThat(tomcat.manager("undeploy?path=/leakcheck")).startsWith("OK");
    }

    /** Touches the database and Redis from Tomcat's worker threads, as real traffic would. */
    private static void exercise(TomcatServer tomcat) throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(tomcat.get("/leakcheck/health").statusCode()).isEqualTo(200);
            assertThat(tomcat.get("/leakcheck/api/openapi.json").statusCode()).isEqualTo(200);
            tomcat.get("/leakcheck/api/diagnostics/failure");
        }
    }

    /**
     * Tomcat's leak warnings about the context {@code name}, except about Tomcat's own utility
     * threads: Tomcat binds a context's class loader to a {@code Catalina-utility} thread while it
     * runs that context's background work, and its thread check, run at that moment, charges
     * Tomcat's own thread to the application.
     */
    static List<String> leakWarnings(String console, String name) {
        return console.lines()
                .filter(line -> line.contains("web application [" + name + "]"))
                .filter(line -> !line.contains("started a thread named [Catalina-utility-"))
                .toList();
    }
}
