package br.com.reistech.alerts;

import io.sentry.ScopesAdapter;
import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.log4j2.SentryAppender;
import io.sentry.protocol.Message;
import io.sentry.protocol.SentryException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AsyncAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;

/**
 * Sends errors to Sentry when {@code SENTRY_DSN} is set, through the official SDK's log4j2 appender
 * attached to the root logger: every ERROR event becomes a Sentry event (without breadcrumbs:
 * they would be shared by every request and workspace in the SDK's global mode). Events are tagged with the environment ({@code SENTRY_ENVIRONMENT}), the release
 * ({@code reistech@<WAR version>}), {@code requestId}, {@code workspace} and {@code user}.
 *
 * <p>Before anything leaves the node, {@code scrub} (the log masking) is applied to the message,
 * its parameters, exception values and extras, the client IP is removed from the
 * context data, and default PII is off. The SDK runs in global-hub mode with its shutdown hook and
 * uncaught-exception handler disabled, is started and closed on a thread of its own, and captures on
 * log4j's async thread (a bounded queue of 256 that never blocks the logging thread): no
 * ThreadLocal, hook or JVM-wide handler of the webapp remains after undeploy; {@link #close()}
 * detaches the appenders and flushes.
 */
public final class ErrorReports implements AutoCloseable {

    private static final String APPENDER = "sentry";
    private static final String ASYNC = "sentry-async";
    private static final String[] TAGS = {"requestId", "workspace", "user"};

    private final LoggerContext logging;

    private ErrorReports(LoggerContext logging) {
        this.logging = logging;
    }

    /** Starts Sentry and attaches its appender; returns what detaches both. */
    public static ErrorReports start(URI dsn, String environment, String release, UnaryOperator<String> scrub) {
        onOwnThread(() -> Sentry.init(options -> {
            options.setDsn(dsn.toString());
            options.setEnvironment(environment);
            options.setRelease(release);
            options.setSendDefaultPii(false);
            options.setGlobalHubMode(true);
            options.setEnableShutdownHook(false);
            options.setEnableUncaughtExceptionHandler(false);
            options.setEnableExternalConfiguration(false);
            options.setEnableBackpressureHandling(false);
            // Breadcrumbs are global in global-hub mode: they would mix other workspaces' events in.
            options.setMaxBreadcrumbs(0);
            options.setBeforeSend((event, hint) -> scrubbed(event, scrub));
        }));
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = logging.getConfiguration();
        SentryAppender sentry = new SentryAppender(APPENDER, null, dsn.toString(), Level.ERROR, Level.ERROR, null,
                false, null, ScopesAdapter.getInstance(), TAGS);
        sentry.start();
        configuration.addAppender(sentry);
        // The SDK keeps per-thread state (scopes, random) on the threads that capture: capturing on
        // log4j's async thread, which stops with this object, leaves none on Tomcat's request threads.
        AsyncAppender async = AsyncAppender.newBuilder().setName(ASYNC).setConfiguration(configuration)
                .setAppenderRefs(new AppenderRef[] {AppenderRef.createAppenderRef(APPENDER, null, null)})
                .setBlocking(false).setBufferSize(256).build();
        async.start();
        configuration.addAppender(async);
        configuration.getRootLogger().addAppender(async, Level.ERROR, null);
        logging.updateLoggers();
        return new ErrorReports(logging);
    }

    /** Runs {@code action} on a thread of its own, so the SDK's thread-locals end with it. */
    private static void onOwnThread(Runnable action) {
        Thread thread = new Thread(action, "sentry-lifecycle");
        thread.start();
        try {
            thread.join(10_000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static SentryEvent scrubbed(SentryEvent event, UnaryOperator<String> scrub) {
        Message message = event.getMessage();
        if (message != null) {
            message.setFormatted(scrub(message.getFormatted(), scrub));
            message.setMessage(scrub(message.getMessage(), scrub));
            if (message.getParams() != null) {
                message.setParams(message.getParams().stream().map(p -> scrub(p, scrub)).toList());
            }
        }
        List<SentryException> exceptions = event.getExceptions();
        if (exceptions != null) {
            exceptions.forEach(e -> e.setValue(scrub(e.getValue(), scrub)));
        }
        if (event.getExtras() != null) {
            Map<String, Object> extras = new HashMap<>(event.getExtras());
            extras.remove("clientIp");
            extras.replaceAll((key, value) -> value instanceof String text ? scrub(text, scrub) : value);
            event.setExtras(extras);
        }
        Object data = event.getContexts().get("Context Data");
        if (data instanceof Map<?, ?> context) {
            Map<Object, Object> kept = new HashMap<>(context);
            kept.remove("clientIp");
            event.getContexts().put("Context Data", kept);
        }
        event.setUser(null);
        return event;
    }

    private static String scrub(String text, UnaryOperator<String> scrub) {
        return text == null ? null : scrub.apply(text);
    }

    @Override
    public void close() {
        Configuration configuration = logging.getConfiguration();
        configuration.getRootLogger().removeAppender(ASYNC);
        for (String name : new String[] {ASYNC, APPENDER}) {
            var appender = configuration.getAppenders().get(name);
            if (appender != null) {
                appender.stop();
            }
        }
        logging.updateLoggers();
        onOwnThread(() -> {
            Sentry.flush(2_000);
            Sentry.close();
        });
    }
}
