package br.com.reistech.workspaces;

import br.com.reistech.audit.AuditService;
import br.com.reistech.audit.AuditService.Outcome;
import br.com.reistech.cache.CacheKind;
import br.com.reistech.cache.CacheService;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.web.Page;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.Problem;
import br.com.reistech.web.problem.ProblemType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Workspaces: the tenants of the installation, managed by platform administrators. Beyond the
 * request's field constraints, the settings are checked as a whole: a real time zone, and every
 * business-hours interval opening before it closes. Deactivating a workspace ends every session of
 * its users at once (their tokens are checked against it on each request).
 */
@ApplicationScoped
public class WorkspaceService {

    private static final String CONFIG = "config";

    private final Transactions transactions;
    private final WorkspaceRepository workspaces;
    private final AuditService audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final CacheService cache;

    @Inject
    public WorkspaceService(Transactions transactions, WorkspaceRepository workspaces, AuditService audit,
                            ObjectMapper json, Clock clock, CacheService cache) {
        this.cache = cache;
        this.transactions = transactions;
        this.workspaces = workspaces;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    public WorkspaceView create(CurrentUser actor, WorkspaceRequest request) {
        String settings = write(settingsOf(request));
        return transactions.write(() -> {
            if (workspaces.findBySlug(request.slug()).isPresent()) {
                throw new ApiException(ProblemType.CONFLICT, "A workspace with this slug already exists",
                        List.of(new Problem.Violation("slug", "body", "already in use")));
            }
            Workspace workspace = new Workspace(request.slug(), request.name().strip(), settings, clock.instant());
            workspaces.add(workspace);
            audit.record("workspace.created", Outcome.SUCCESS, workspace.id(), actor.userId(), request.slug(), Map.of());
            cache.invalidate(CacheKind.WORKSPACE_CONFIG, workspace.id(), CONFIG);
            return view(workspace);
        });
    }

    public Page<WorkspaceView> list(int page, int size) {
        return transactions.read(() -> new Page<>(workspaces.list(page, size).stream().map(this::view).toList(),
                page, size, workspaces.count()));
    }

    public WorkspaceView get(UUID id) {
        return find(id).orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such workspace"));
    }

    public WorkspaceView update(CurrentUser actor, UUID id, WorkspaceRequest request) {
        String settings = write(settingsOf(request));
        return transactions.write(() -> {
            Workspace workspace = found(workspaces.lockById(id));
            if (!workspace.slug().equals(request.slug())) {
                throw new ApiException(ProblemType.VALIDATION_FAILED, "The slug of a workspace cannot change",
                        List.of(new Problem.Violation("slug", "body", "cannot change")));
            }
            workspace.update(request.name().strip(), settings, clock.instant());
            audit.record("workspace.changed", Outcome.SUCCESS, id, actor.userId(), workspace.slug(), Map.of());
            cache.invalidate(CacheKind.WORKSPACE_CONFIG, id, CONFIG);
            return view(workspace);
        });
    }

    public void deactivate(CurrentUser actor, UUID id) {
        transactions.write(() -> {
            Workspace workspace = found(workspaces.lockById(id));
            if (id.equals(actor.workspaceId())) {
                throw new ApiException(ProblemType.CONFLICT, "You cannot deactivate your own workspace");
            }
            workspace.deactivate(clock.instant());
            audit.record("workspace.deactivated", Outcome.SUCCESS, id, actor.userId(), workspace.slug(), Map.of());
            // Its sessions end: PostgreSQL refuses them once the cached "live" answers are gone.
            cache.invalidateWorkspace(id);
            return null;
        });
    }

    /** The workspace by id, whatever its state; empty when unknown. Cached (WORKSPACE_CONFIG). */
    public Optional<WorkspaceView> find(UUID id) {
        return Optional.ofNullable(cache.getOrSet(CacheKind.WORKSPACE_CONFIG, id, CONFIG, WorkspaceView.class,
                () -> transactions.read(() -> workspaces.findById(id).map(this::view).orElse(null))));
    }

    /** Ids of the active workspaces, at most {@code limit} (cache warming). */
    public List<UUID> activeIds(int limit) {
        return transactions.read(() -> workspaces.activeIds(limit));
    }

    /** Every active workspace's browser origins, lower-cased (the CORS filter's list). */
    public java.util.Set<String> corsOrigins() {
        java.util.Set<String> origins = new java.util.HashSet<>();
        for (UUID id : activeIds(100_000)) {
            find(id).ifPresent(workspace -> workspace.settings().corsOrigins()
                    .forEach(origin -> origins.add(origin.toLowerCase(java.util.Locale.ROOT))));
        }
        return origins;
    }

    public Optional<WorkspaceView> findActiveBySlug(String slug) {
        return transactions.read(() -> workspaces.findBySlug(slug).filter(Workspace::active).map(this::view));
    }

    /** The workspace with this slug, created with {@code name} and default settings if missing. */
    public WorkspaceView ensure(String slug, String name) {
        return transactions.write(() -> {
            workspaces.insertIfAbsent(slug, name, write(WorkspaceSettings.defaults()));
            return workspaces.findBySlug(slug).map(this::view).orElseThrow();
        });
    }

    private WorkspaceSettings settingsOf(WorkspaceRequest request) {
        WorkspaceSettings settings = request.settings() == null ? WorkspaceSettings.defaults() : request.settings();
        List<Problem.Violation> violations = new ArrayList<>();
        try {
            ZoneId.of(settings.businessHours().timezone());
        } catch (DateTimeException unknown) {
            violations.add(new Problem.Violation("settings.businessHours.timezone", "body", "must be an IANA time zone"));
        }
        WorkspaceSettings.Week week = settings.businessHours().week();
        Map<String, List<WorkspaceSettings.Interval>> days = Map.of("mon", week.mon(), "tue", week.tue(),
                "wed", week.wed(), "thu", week.thu(), "fri", week.fri(), "sat", week.sat(), "sun", week.sun());
        days.forEach((day, intervals) -> {
            for (int i = 0; i < intervals.size(); i++) {
                if (intervals.get(i).open().compareTo(intervals.get(i).close()) >= 0) {
                    violations.add(new Problem.Violation("settings.businessHours.week." + day + "[" + i + "]",
                            "body", "must open before it closes"));
                }
            }
        });
        BotFlow flow = settings.bot().effectiveFlow();
        if (!flow.states().containsKey(flow.start())) {
            violations.add(new Problem.Violation("settings.bot.flow.start", "body", "must name a state"));
        }
        flow.states().forEach((name, state) -> {
            state.on().forEach((input, target) -> {
                if (!flow.states().containsKey(target)) {
                    violations.add(new Problem.Violation("settings.bot.flow.states." + name + ".on." + input, "body",
                            "must name a state"));
                }
            });
            if (state.input() == BotFlow.Input.SEARCH && (state.then() == null || !flow.states().containsKey(state.then()))) {
                violations.add(new Problem.Violation("settings.bot.flow.states." + name + ".then", "body",
                        "must name a state when input is SEARCH"));
            }
        });
        if (!violations.isEmpty()) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, "The settings are invalid", violations);
        }
        return settings;
    }

    private WorkspaceView view(Workspace workspace) {
        try {
            return new WorkspaceView(workspace.id(), workspace.slug(), workspace.name(), workspace.active(),
                    json.readValue(workspace.settings(), WorkspaceSettings.class), workspace.createdAt());
        } catch (JsonProcessingException corrupt) {
            throw new IllegalStateException("Stored settings of workspace " + workspace.id() + " are unreadable", corrupt);
        }
    }

    private String write(WorkspaceSettings settings) {
        try {
            return json.writeValueAsString(settings);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static Workspace found(Optional<Workspace> workspace) {
        return workspace.orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such workspace"));
    }
}
