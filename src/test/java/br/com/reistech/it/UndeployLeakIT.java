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
        // Tomcat renews a worker thread that served the stopped context only when that thread runs its
        // next task, and soft references are cleared late (the test Tomcat clears them at every GC):
        // each poll first sends every worker thread a request, as real traffic would.
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(5))
                .untilAsserted(() -> {
                    busyEveryWorker(env);
                    assertThat(env.tomcat.manager("findleaks?statusLine=true")).doesNotContain("/leakcheck");
                });
    }

    /** Enough concurrent requests to the main application to give each worker thread a task. */
    private static void busyEveryWorker(Environment env) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(64);
        try {
            java.util.List<java.util.concurrent.Future<?>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                calls.add(pool.submit(() -> env.tomcat.get("/alive")));
            }
            for (java.util.concurrent.Future<?> call : calls) {
                call.get();
            }
        } finally {
            pool.shutdownNow();
        }
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
