package br.com.reistech.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reloading and undeploying the application leaves nothing behind: Tomcat's leak detection prints
 * no warning for it (threads, ThreadLocals, JDBC drivers, timers) and its leak finder, which forces
 * a full GC, finds no class loader of the undeployed application still alive.
 *
 * <p>It runs in a Tomcat process of its own. In the suite's shared Tomcat, whose worker pool has
 * grown to serve the load tests, undeployed class loaders were still held after 150 s: Tomcat
 * renews the workers that served a stopped context one per second ({@code threadRenewalDelay}),
 * so a large pool takes minutes. That is Tomcat's schedule, not the application's; what this test
 * judges is whether the application lets go of everything it can.
 */
@ExtendWith(Environment.Extension.class)
class UndeployLeakIT {

    @Test
    void reloadAndUndeployLeaveNoThreadThreadLocalDriverOrClassLoaderBehind(Environment env) throws Exception {
        try (TomcatServer tomcat = TomcatServer.start(Path.of(System.getProperty("it.tomcat10.home")),
                env.workDir.resolve("leak-tomcat"), env.war, env.appConfig("leak-root", Map.of()))) {
            assertThat(tomcat.deploy("/leakcheck", env.war, env.appConfig("leakcheck", Map.of()))).startsWith("OK");
            exercise(tomcat);
            assertThat(tomcat.manager("reload?path=/leakcheck")).startsWith("OK");
            exercise(tomcat);
            assertThat(tomcat.manager("undeploy?path=/leakcheck")).startsWith("OK");

            assertThat(leakWarnings(tomcat.console(), "leakcheck")).isEmpty();
            // Tomcat renews a worker thread that served the stopped context only when that thread runs its
            // next task, and soft references are cleared late (the test Tomcat clears them at every GC):
            // each poll first sends every worker thread a request, as real traffic would.
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(5))
                    .untilAsserted(() -> {
                        busyEveryWorker(tomcat);
                        assertThat(tomcat.manager("findleaks?statusLine=true")).doesNotContain("/leakcheck");
                    });
        }
    }

    /** Enough concurrent requests to the main application to give each worker thread a task. */
    private static void busyEveryWorker(TomcatServer tomcat) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                calls.add(pool.submit(() -> tomcat.get("/alive")));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            pool.shutdownNow();
        }
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
