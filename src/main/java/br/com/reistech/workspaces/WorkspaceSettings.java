package br.com.reistech.workspaces;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A workspace's configuration, stored as JSON and validated as a whole.
 *
 * @param businessHours when humans attend; outside them the bot says so instead of queueing
 * @param bot chatbot behaviour
 * @param queue human-queue settings (agent capacity); defaults when null
 * @param corsOrigins browser origins allowed to call the API for this workspace (scheme://host[:port])
 * @param whatsappPhoneNumberId Meta's phone number id of the workspace's WhatsApp account, if any
 */
public record WorkspaceSettings(
        @NotNull @Valid BusinessHours businessHours,
        @NotNull @Valid Bot bot,
        @Valid Queue queue,
        @NotNull @Size(max = 20) List<@NotNull @Pattern(regexp = "https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?",
                message = "must be an origin such as https://loja.example.com") String> corsOrigins,
        @Pattern(regexp = "[0-9]{5,20}", message = "must be Meta's numeric phone number id") String whatsappPhoneNumberId) {

    /** Defaults of a new workspace: Mon–Sat 09:00–18:00 in São Paulo, bot on, no origins, no account. */
    public static WorkspaceSettings defaults() {
        List<Interval> weekday = List.of(new Interval("09:00", "18:00"));
        return new WorkspaceSettings(
                new BusinessHours("America/Sao_Paulo", new Week(weekday, weekday, weekday, weekday, weekday, weekday, List.of())),
                new Bot(true, List.of("atendente", "humano", "pessoa"), 3, BotFlow.defaults()),
                Queue.defaults(),
                List.of(), null);
    }

    /** The human queue; defaults apply when null. */
    public Queue effectiveQueue() {
        return queue == null ? Queue.defaults() : queue;
    }

    /**
     * @param agentCapacity conversations one agent may hold at once
     * @param autoAssign queued conversations go round-robin to online agents (role AGENT) with room
     * @param offlineAfterSeconds an agent neither connected to the live console nor calling the API
     *        for this long is offline: its conversations return to the queue (default 120)
     * @param idleAfterSeconds an agent who has not called the API for this long is idle: its
     *        conversations return to the queue; never when null
     */
    public record Queue(@Min(1) @Max(50) int agentCapacity, Boolean autoAssign,
                        @Min(10) @Max(3600) Integer offlineAfterSeconds, @Min(60) @Max(86400) Integer idleAfterSeconds) {
        public static Queue defaults() {
            return new Queue(5, false, 120, null);
        }

        public boolean effectiveAutoAssign() {
            return Boolean.TRUE.equals(autoAssign);
        }

        public Duration offlineAfter() {
            return Duration.ofSeconds(offlineAfterSeconds == null ? 120 : offlineAfterSeconds);
        }

        /** Empty when agents are never released for idleness. */
        public Optional<Duration> idleAfter() {
            return Optional.ofNullable(idleAfterSeconds).map(Duration::ofSeconds);
        }
    }

    /** @param timezone an IANA zone id such as {@code America/Sao_Paulo} */
    public record BusinessHours(@NotBlank @Size(max = 64) String timezone, @NotNull @Valid Week week) {
    }

    public record Week(
            @NotNull @Size(max = 4) List<@Valid @NotNull Interval> mon,
            @NotNull @Size(max = 4) List<@Valid @NotNull Interval> tue,
            @NotNull @Size(max = 4) List<@Valid @NotNull Interval> wed,
            @NotNull @Size(max = 4) List<@Valid @NotNull Interval> thu,
            @NotNull @Size(max = 4) List<@Valid @NotNull Interval> fri,
            @NotNull @Size(max = 4) List<@Valid @NotNull Interval> sat,
            @NotNull @Size(max = 4) List<@Valid @NotNull Interval> sun) {
    }

    /** @param open {@code HH:mm}, before {@code close} */
    public record Interval(
            @NotNull @Pattern(regexp = "([01][0-9]|2[0-3]):[0-5][0-9]", message = "must be HH:mm") String open,
            @NotNull @Pattern(regexp = "([01][0-9]|2[0-3]):[0-5][0-9]|24:00", message = "must be HH:mm") String close) {
    }

    /**
     * @param enabled whether the chatbot answers at all
     * @param handoffKeywords words that send the customer to the human queue
     * @param maxUnrecognized unrecognised messages in a row before offering a human
     * @param flow states and transitions; the standard flow when null
     */
    public record Bot(
            boolean enabled,
            @NotNull @Size(max = 20) List<@NotBlank @Size(max = 40) String> handoffKeywords,
            @Min(1) @Max(10) int maxUnrecognized,
            @Valid BotFlow flow) {

        public BotFlow effectiveFlow() {
            return flow == null ? BotFlow.defaults() : flow;
        }
    }
}
