package br.com.reistech.queue;

import br.com.reistech.audit.AuditService;
import br.com.reistech.audit.AuditService.Outcome;
import br.com.reistech.conversations.ConversationChanged;
import br.com.reistech.realtime.EventOutbox;
import br.com.reistech.conversations.ConversationService;
import br.com.reistech.conversations.ConversationView;
import br.com.reistech.customers.CustomerService;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import br.com.reistech.security.Role;
import br.com.reistech.users.Credentials;
import br.com.reistech.users.UserService;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
import br.com.reistech.workspaces.WorkspaceService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The human queue. Every change is one conditional UPDATE in PostgreSQL, so when several agents
 * take the same conversation at once, on any nodes, exactly one update matches and the others get
 * 409. Assignments to an agent lock that agent's row first, so the capacity check (the workspace's
 * {@code queue.agentCapacity}) cannot be raced either. Changes are audited and their live events
 * ({@link ConversationChanged}) recorded in the same transaction ({@link EventOutbox}).
 */
@ApplicationScoped
public class QueueService {

    private final Transactions transactions;
    private final ConversationService conversations;
    private final UserService users;
    private final WorkspaceService workspaces;
    private final CustomerService customers;
    private final AuditService audit;
    private final EventOutbox events;
    private final Timer waited;

    @Inject
    public QueueService(Transactions transactions, ConversationService conversations, UserService users,
                        WorkspaceService workspaces, CustomerService customers, AuditService audit,
                        EventOutbox events, MeterRegistry registry) {
        this.waited = Timer.builder("reistech.queue.wait")
                .description("Time customers waited in the human queue until an agent got them")
                .serviceLevelObjectives(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
                        Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30))
                .register(registry);
        this.transactions = transactions;
        this.conversations = conversations;
        this.users = users;
        this.workspaces = workspaces;
        this.customers = customers;
        this.audit = audit;
        this.events = events;
    }

    public List<ConversationView> queue(UUID workspaceId) {
        return conversations.queued(workspaceId, 500);
    }

    /** The caller takes a queued conversation for itself. */
    public ConversationView take(CurrentUser agent, UUID id) {
        return change(agent.workspaceId(), agent.userId(), id, "assigned", agent.userId(), Map.of(), () -> {
            requireCapacity(agent.workspaceId(), agent.userId());
            return conversations.assignIfQueued(agent.workspaceId(), id, agent.userId());
        });
    }

    /** A supervisor gives a queued conversation to an agent. */
    public ConversationView assign(CurrentUser supervisor, UUID id, UUID agentId) {
        return change(supervisor.workspaceId(), supervisor.userId(), id, "assigned", agentId, Map.of(), () -> {
            requireCapacity(supervisor.workspaceId(), agentId);
            return conversations.assignIfQueued(supervisor.workspaceId(), id, agentId);
        });
    }

    /** A supervisor moves an active conversation to another agent. */
    public ConversationView transfer(CurrentUser supervisor, UUID id, UUID agentId) {
        return change(supervisor.workspaceId(), supervisor.userId(), id, "transferred", agentId, Map.of(), () -> {
            requireCapacity(supervisor.workspaceId(), agentId);
            return conversations.reassignIfActive(supervisor.workspaceId(), id, null, agentId);
        });
    }

    /** The agent (or a supervisor) puts an active conversation back in the queue. */
    public ConversationView release(CurrentUser actor, UUID id) {
        return change(actor.workspaceId(), actor.userId(), id, "released", null, Map.of(),
                () -> conversations.requeueIfActive(actor.workspaceId(), id, ownOnly(actor)));
    }

    /** The agent (or a supervisor) closes the conversation; the customer's next message starts over. */
    public ConversationView close(CurrentUser actor, UUID id) {
        return change(actor.workspaceId(), actor.userId(), id, "closed", null, Map.of(), () -> {
            // Customer row first, as the bot locks it: the same order everywhere, no deadlock.
            UUID customerId = found(actor.workspaceId(), id).customerId();
            customers.lock(actor.workspaceId(), customerId);
            boolean closed = conversations.closeIfOpen(actor.workspaceId(), id, ownOnly(actor), actor.userId());
            if (closed) {
                customers.resetState(actor.workspaceId(), customerId);
            }
            return closed;
        });
    }

    /**
     * Auto-assignment: gives a queued conversation to an agent of role AGENT with room. False, with
     * nothing changed, when the conversation is no longer queued or the agent cannot take it.
     */
    public boolean autoAssign(UUID workspaceId, UUID id, UUID agentId) {
        try {
            change(workspaceId, null, id, "assigned", agentId, Map.of("by", "auto-assignment"), () -> {
                requireCapacity(workspaceId, agentId, Role.AGENT::equals);
                return conversations.assignIfQueued(workspaceId, id, agentId);
            });
            return true;
        } catch (ApiException refused) {
            return false;
        }
    }

    /** Puts an agent's active conversation back in the queue because the agent went offline or idle. */
    public boolean releaseAbsent(UUID workspaceId, UUID id, UUID agentId, String reason) {
        try {
            change(workspaceId, null, id, "released", null, Map.of("reason", reason),
                    () -> conversations.requeueIfActive(workspaceId, id, agentId));
            return true;
        } catch (ApiException changedMeanwhile) {
            return false;
        }
    }

    /** One state change: audited (by {@code actorId}, null for the system) and announced after commit. */
    private ConversationView change(UUID workspaceId, UUID actorId, UUID id, String kind, UUID agentId,
                                    Map<String, String> details, BooleanSupplier update) {
        return transactions.write(() -> {
            ConversationView before = found(workspaceId, id);
            if (!update.getAsBoolean()) {
                ConversationView now = found(workspaceId, id);
                throw new ApiException(ProblemType.CONFLICT, "The conversation is " + now.status().toLowerCase()
                        + (now.assignedAgentId() == null ? "" : " with an agent") + ": it cannot be " + kind + " now");
            }
            UUID concerned = agentId != null ? agentId : before.assignedAgentId();
            Map<String, String> recorded = new HashMap<>(details);
            if (concerned != null) {
                recorded.put("agent", concerned.toString());
            }
            audit.record("conversation." + kind, Outcome.SUCCESS, workspaceId, actorId, id.toString(), recorded);
            UUID previous = before.assignedAgentId();
            ConversationView after = found(workspaceId, id);
            events.record(new ConversationChanged(workspaceId, id, kind, concerned, previous));
            transactions.afterCommit(() -> {
                if ("QUEUED".equals(before.status()) && after.queuedAt() != null && after.assignedAt() != null) {
                    waited.record(Duration.between(after.queuedAt(), after.assignedAt()));
                }
            });
            return after;
        });
    }

    private void requireCapacity(UUID workspaceId, UUID agentId) {
        requireCapacity(workspaceId, agentId, Permission.QUEUE_TAKE::grantedTo);
    }

    private void requireCapacity(UUID workspaceId, UUID agentId, Predicate<Role> eligible) {
        Credentials agent = users.lockForAssignment(workspaceId, agentId)
                .filter(Credentials::active)
                .filter(c -> eligible.test(c.role()))
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such agent"));
        int capacity = workspaces.find(workspaceId).orElseThrow().settings().effectiveQueue().agentCapacity();
        if (conversations.countActive(workspaceId, agent.userId()) >= capacity) {
            throw new ApiException(ProblemType.CONFLICT, "The agent already holds " + capacity
                    + " conversations, the workspace's capacity per agent");
        }
    }

    /** Agents act on their own conversations only; supervisors on any. */
    static UUID ownOnly(CurrentUser actor) {
        return Permission.CONVERSATIONS_ALL.grantedTo(actor.role()) ? null : actor.userId();
    }

    private ConversationView found(UUID workspaceId, UUID id) {
        return conversations.find(workspaceId, id)
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such conversation"));
    }
}
