package br.com.reistech.web;

import br.com.reistech.alerts.AlertWatch;
import br.com.reistech.alerts.Alerts;
import br.com.reistech.alerts.AlertsMXBean;
import br.com.reistech.alerts.ErrorReports;
import br.com.reistech.alerts.SlackSink;
import br.com.reistech.health.CpuCheck;
import br.com.reistech.health.DiskCheck;
import br.com.reistech.health.HealthMXBean;
import br.com.reistech.health.MemoryCheck;
import br.com.reistech.health.MonitoringAccess;
import br.com.reistech.health.WhatsAppCheck;
import br.com.reistech.logging.LogLevels;
import br.com.reistech.logging.LogMasker;
import br.com.reistech.logging.LoggingMXBean;
import br.com.reistech.metrics.Metrics;
import br.com.reistech.metrics.MetricsServlet;
import br.com.reistech.persistence.HibernateMXBean;
import br.com.reistech.security.SessionService;
import br.com.reistech.whatsapp.WhatsAppMXBean;
import br.com.reistech.whatsapp.WhatsAppStatus;
import io.micrometer.core.instrument.Gauge;
import java.util.Map;
import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import br.com.reistech.audit.AuditChain;
import br.com.reistech.audit.AuditMXBean;
import br.com.reistech.audit.AuditResource;
import br.com.reistech.audit.RefusalRecorder;
import br.com.reistech.bot.BotWorkers;
import br.com.reistech.cache.CacheAdmin;
import br.com.reistech.cache.CacheMXBean;
import br.com.reistech.cache.CacheService;
import br.com.reistech.cache.CacheWarmer;
import br.com.reistech.config.AppConfig;
import br.com.reistech.config.ConfigException;
import br.com.reistech.config.ConfigLoader;
import br.com.reistech.config.ConfigSource;
import br.com.reistech.health.CacheCheck;
import br.com.reistech.health.DatabaseCheck;
import br.com.reistech.health.RateLimitCheck;
import br.com.reistech.health.HealthService;
import br.com.reistech.health.HealthServlet;
import br.com.reistech.health.RedisCheck;
import br.com.reistech.health.WebSocketCheck;
import br.com.reistech.persistence.Database;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.ratelimit.RateLimitAdmin;
import br.com.reistech.ratelimit.RateLimitMXBean;
import br.com.reistech.ratelimit.RateLimiter;
import br.com.reistech.realtime.AgentSocketServlet;
import br.com.reistech.realtime.EventHub;
import br.com.reistech.realtime.EventOutbox;
import br.com.reistech.realtime.RealtimeMXBean;
import br.com.reistech.redis.RedisClients;
import br.com.reistech.users.AppUser;
import br.com.reistech.jmx.ManagedBeans;
import br.com.reistech.media.MediaResource;
import br.com.reistech.media.MediaStore;
import br.com.reistech.queue.AgentPresence;
import br.com.reistech.queue.QueueSweeper;
import br.com.reistech.security.AccessFeature;
import br.com.reistech.security.Role;
import br.com.reistech.security.TokenService;
import br.com.reistech.users.UserService;
import br.com.reistech.web.filter.AuditFilter;
import br.com.reistech.web.filter.CorsFilter;
import br.com.reistech.web.filter.RateLimitFilter;
import br.com.reistech.web.filter.Refusals;
import br.com.reistech.web.filter.RequestContextFilter;
import br.com.reistech.web.filter.SanitizationFilter;
import br.com.reistech.web.filter.SecurityHeadersFilter;
import br.com.reistech.web.problem.ProblemType;
import br.com.reistech.web.problem.ProblemWriter;
import br.com.reistech.whatsapp.MediaFetcher;
import br.com.reistech.whatsapp.WebhookProcessor;
import br.com.reistech.workspaces.Workspace;
import br.com.reistech.workspaces.WorkspaceService;
import br.com.reistech.workspaces.WorkspaceView;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LifeCycle;
import org.apache.logging.log4j.web.Log4jWebSupport;
import org.apache.logging.log4j.web.WebLoggerContextUtils;
import org.glassfish.jersey.servlet.ServletContainer;
import org.redisson.api.RedissonClient;

/**
 * Builds the application by hand, in this order, and tears it down in reverse:
 * <ol>
 *   <li>configuration, validated as a whole ({@link ConfigLoader});</li>
 *   <li>persistence: pool, Flyway migrations, Hibernate ({@link Database});</li>
 *   <li>the Redisson client ({@link RedisClients});</li>
 *   <li>services: CDI beans (Weld booted before this listener) receive the above through
 *       {@link PlatformProducer}; seed data; the health service; the webhook and bot workers
 *       (stopped by CDI, before the infrastructure closes);</li>
 *   <li>the filter chain, in its fixed order, then the servlets: Jersey under {@code /api/*}, the
 *       health probes, and the problem+json fallback for everything else.</li>
 * </ol>
 * Readiness turns true only after all of this. Any failure stops the webapp after releasing what
 * was already built, so a failed start leaks nothing either.
 */
public final class CompositionRoot implements ServletContextListener {

    private static final Logger LOG = LogManager.getLogger(CompositionRoot.class);
    private static final List<Class<?>> ENTITIES = List.of(Workspace.class, AppUser.class);

    private final Deque<AutoCloseable> teardown = new ArrayDeque<>();
    private HealthService health;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        long start = System.nanoTime();
        ServletContext context = event.getServletContext();
        try (var operation = CloseableThreadContext.put("requestId", "start-" + Long.toHexString(start))) {
            AppConfig config = ConfigLoader.load(ConfigSource.system());
            ObjectMapper json = Json.newMapper();
            Clock clock = Clock.systemUTC();
            String version = version(context);
            ManagedBeans mbeans = new ManagedBeans(context.getContextPath());
            teardown.push(mbeans);
            Metrics metrics = new Metrics();
            teardown.push(metrics);
            AppConfig.MonitoringConfig monitoring = config.monitoring();
            if (monitoring.sentryDsn().isPresent()) {
                teardown.push(ErrorReports.start(monitoring.sentryDsn().get(), monitoring.environment(),
                        "reistech@" + version, LogMasker::mask));
            }
            Alerts alerts = new Alerts(monitoring.slackWebhook()
                    .map(url -> (Alerts.Sink) new SlackSink(url, monitoring.slackChannel(), json)).orElse(null),
                    "reistech " + version + " " + monitoring.environment() + " @ " + host() + context.getContextPath(),
                    monitoring.settle(), monitoring.repeat(), clock);
            teardown.push(alerts);

            Database database = Database.start(config.database(), ENTITIES, "reistech-db-" + mbeans.context(),
                    metrics.registry());
            teardown.push(database);
            RedissonClient redis = RedisClients.create(config.redis());
            teardown.push(() -> RedisClients.shutdown(redis, Duration.ofSeconds(5)));

            CDI<Object> beans = CDI.current();
            teardown.push(() -> RedisClients.releaseThreadState());
            bean(beans, PlatformProducer.class).install(
                    new Platform(config, json, new Transactions(database.entityManagerFactory()), redis, clock,
                            new MediaStore(config.media().uploadDir()), metrics.registry(), alerts));
            seed(config.seed(), beans);
            CacheService cache = bean(beans, CacheService.class);
            cache.start();
            EventHub events = bean(beans, EventHub.class);
            WhatsAppStatus whatsapp = bean(beans, WhatsAppStatus.class);
            RateLimiter limiter = bean(beans, RateLimiter.class);
            health = new HealthService(List.of(
                    new DatabaseCheck(database, config.database().connectTimeout()),
                    new RedisCheck(redis, config.redis().timeout()),
                    new CacheCheck(cache::hitRate, cache::degraded),
                    new RateLimitCheck(limiter::mode),
                    new WebSocketCheck(events::clients),
                    new WhatsAppCheck(whatsapp.simulated() ? "simulated" : "cloud", whatsapp::figures,
                            whatsapp::failingAccounts),
                    new MemoryCheck(monitoring.heapMaxPercent()),
                    new CpuCheck(monitoring.loadPerCoreMax()),
                    new DiskCheck(Map.of("logs", config.log().dir(), "uploads", config.media().uploadDir()),
                            monitoring.diskMinFreeBytes())), clock, monitoring.healthCacheTtl());
            Gauge.builder("reistech.websocket.clients", events, EventHub::clients)
                    .description("Agents' WebSocket clients connected to this node").register(metrics.registry());

            ProblemWriter problems = new ProblemWriter(json);
            limiter.start();
            WorkspaceService workspaces = bean(beans, WorkspaceService.class);
            RefusalRecorder refused = bean(beans, RefusalRecorder.class);
            refused.start();
            Refusals audit = (request, type, detail) -> refused.refused("request.refused", request.getMethod(),
                    request.getRequestURI(), type, detail);
            registerFilters(context, new RequestContextFilter(RedisClients::releaseThreadState, metrics,
                            AgentSocketServlet.PATH),
                    new SecurityHeadersFilter(config.headers().contentSecurityPolicy(),
                            config.headers().hstsMaxAge().toSeconds(), problems, audit),
                    new CorsFilter(config.cors().origins(), config.cors().credentials(),
                            config.cors().maxAge().toSeconds(), workspaces::corsOrigins, problems, audit),
                    new RateLimitFilter(limiter, bean(beans, TokenService.class), problems, json, audit),
                    new SanitizationFilter(SanitizationFilter.MAX_BODY_BYTES, problems, (request, type, detail) -> {
                        audit.refused(request, type, detail);
                        // Only what is refused as an attack counts towards a ban: an oversized body or a
                        // repeated parameter is a client's mistake, and cheap for a third-party page to provoke.
                        if (type == ProblemType.SUSPICIOUS_INPUT) {
                            limiter.violation(request.getRemoteAddr());
                        }
                    }),
                    new AuditFilter(refused));
            AgentPresence presence = bean(beans, AgentPresence.class);
            TokenService tokens = bean(beans, TokenService.class);
            SessionService sessions = bean(beans, SessionService.class);
            MonitoringAccess monitors = new MonitoringAccess(monitoring.networks(), tokens::verifyAccess, sessions::isLive);
            registerServlets(context, config, json, problems, new AccessFeature(tokens, sessions,
                    user -> presence.acted(user.workspaceId(), user.userId())), monitors, metrics);
            bean(beans, WebhookProcessor.class).start();
            bean(beans, BotWorkers.class).start();
            bean(beans, QueueSweeper.class).start();
            bean(beans, MediaFetcher.class).start();
            events.start();
            bean(beans, EventOutbox.class).start();
            context.addServlet("agents-ws", new AgentSocketServlet(tokens, sessions, events, json, problems))
                    .addMapping(AgentSocketServlet.PATH);
            mbeans.register("Health", HealthMXBean.class, new HealthMXBean.Of(health));
            mbeans.register("Realtime", RealtimeMXBean.class, events::clients);
            mbeans.register("Cache", CacheMXBean.class, bean(beans, CacheAdmin.class));
            mbeans.register("RateLimiter", RateLimitMXBean.class, bean(beans, RateLimitAdmin.class));
            mbeans.register("WhatsApp", WhatsAppMXBean.class, new WhatsAppMXBean.Of(whatsapp));
            mbeans.register("Alerts", AlertsMXBean.class, new AlertsMXBean.Of(alerts));
            mbeans.register("Audit", AuditMXBean.class, bean(beans, AuditResource.class));
            mbeans.register("Hibernate", HibernateMXBean.class, new HibernateMXBean.Of(database.entityManagerFactory()));
            mbeans.register("Logging", LoggingMXBean.class, new LogLevels((LoggerContext) LogManager.getContext(false)));
            bean(beans, AuditChain.class).start();
            bean(beans, CacheWarmer.class).warm(config.cache().warmBudget());
            AlertWatch watch = new AlertWatch(alerts, health, () -> metrics.logEvents("error"),
                    monitoring.errorBurst(), limiter::bansIssued, monitoring.banStorm());
            teardown.push(watch);
            watch.start(monitoring.watchInterval());
            health.markStarted();
            RedisClients.releaseThreadState();
            LOG.info("ReisTech {} started in {} ms", version, (System.nanoTime() - start) / 1_000_000);
        } catch (ConfigException invalid) {
            LOG.error(invalid.getMessage());
            throw invalid;
        } catch (RuntimeException failure) {
            LOG.error("ReisTech failed to start", failure);
            close();
            RedisClients.releaseThreadState();
            throw failure;
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        try (var operation = CloseableThreadContext.put("requestId", "stop-" + Long.toHexString(System.nanoTime()))) {
            if (health != null) {
                health.markDraining();
            }
            close();
            RedisClients.releaseThreadState();
            LOG.info("ReisTech stopped");
        }
        // Logging stops last, so the shutdown itself is logged (web.xml disables log4j's own stop).
        Object logging = WebLoggerContextUtils.getWebLifeCycle(event.getServletContext());
        ((Log4jWebSupport) logging).clearLoggerContext();
        ((LifeCycle) logging).stop();
    }

    /** The WAR's version (its manifest's Implementation-Version), or {@code dev} when run unpackaged. */
    private static String version(ServletContext context) {
        try (var manifest = context.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            String version = manifest == null ? null
                    : new java.util.jar.Manifest(manifest).getMainAttributes().getValue("Implementation-Version");
            return version == null || version.isBlank() ? "dev" : version;
        } catch (java.io.IOException unreadable) {
            return "dev";
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException unnamed) {
            return "localhost";
        }
    }

    /** The chain of DESIGN.md §2. This method is the only place that decides its order. */
    private static void registerFilters(ServletContext context, RequestContextFilter requestContext,
                                        SecurityHeadersFilter headers, CorsFilter cors, RateLimitFilter rateLimit,
                                        SanitizationFilter sanitization, AuditFilter audit) {
        Filter[] chain = {
            requestContext,
            headers,
            cors,
            rateLimit,
            sanitization,
            audit,
        };
        for (Filter filter : chain) {
            context.addFilter(filter.getClass().getSimpleName(), filter)
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), true, "/*");
        }
    }

    private void registerServlets(ServletContext context, AppConfig config, ObjectMapper json,
                                  ProblemWriter problems, AccessFeature access, MonitoringAccess monitors,
                                  Metrics metrics) {
        ServletRegistration.Dynamic api = context.addServlet("api",
                new ServletContainer(new ApiApplication(json, config.diagnostics(), access)));
        api.addMapping("/api/*");
        api.setLoadOnStartup(1);
        // Uploads: parts over 256 KiB go to disk next to the media files; larger than allowed is 413.
        api.setMultipartConfig(new MultipartConfigElement(config.media().uploadDir().resolve(".incoming").toString(),
                config.media().maxBytes(), config.media().maxBytes() + MediaResource.ENVELOPE_BYTES, 256 * 1024));
        api.setAsyncSupported(true);
        context.addServlet("health", new HealthServlet(health, json, problems, monitors))
                .addMapping("/alive", "/ready", "/health");
        context.addServlet("metrics", new MetricsServlet(metrics, monitors, problems)).addMapping("/metrics");
        ServletRegistration.Dynamic fallback = context.addServlet("fallback", new FallbackServlet(problems));
        fallback.addMapping("/", FallbackServlet.ERROR_PATH);
    }

    private static void seed(AppConfig.SeedConfig seed, CDI<Object> beans) {
        if (seed.workspace().isEmpty()) {
            return;
        }
        String slug = seed.workspace().get();
        WorkspaceView workspace = bean(beans, WorkspaceService.class).ensure(slug, slug);
        boolean created = bean(beans, UserService.class)
                .ensure(workspace.id(), seed.adminEmail(), "Administrador", Role.PLATFORM_ADMIN, seed.adminPassword());
        LOG.info("Seed workspace '{}' ready; administrator {}", slug, created ? "created" : "already present");
    }

    private static <T> T bean(CDI<Object> beans, Class<T> type) {
        return beans.select(type).get();
    }

    private void close() {
        while (!teardown.isEmpty()) {
            try {
                teardown.pop().close();
            } catch (Exception failure) {
                LOG.warn("Shutdown step failed", failure);
            }
        }
    }
}
