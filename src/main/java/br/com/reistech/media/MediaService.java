package br.com.reistech.media;

import br.com.reistech.audit.AuditService;
import br.com.reistech.audit.AuditService.Outcome;
import br.com.reistech.config.AppConfig;
import br.com.reistech.persistence.Transactions;
import br.com.reistech.security.CurrentUser;
import br.com.reistech.security.Permission;
import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A workspace's media files: agents' uploads (type whitelist, content checked against the declared
 * type, size limit) and customers' media downloaded from Meta. Files are written completely before
 * their row is committed, so a row never points at a missing or partial file.
 */
@ApplicationScoped
public class MediaService {

    /** Downloads of one customer media are attempted this many times before giving up. */
    public static final int FETCH_ATTEMPTS = 5;

    private final Transactions transactions;
    private final MediaRepository media;
    private final MediaStore store;
    private final AuditService audit;
    private final long maxBytes;

    @Inject
    public MediaService(Transactions transactions, MediaRepository media, MediaStore store, AuditService audit,
                        AppConfig config) {
        this.transactions = transactions;
        this.media = media;
        this.store = store;
        this.audit = audit;
        this.maxBytes = config.media().maxBytes();
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Stores an agent's upload: 415 for a type not accepted or content not of that type, 413 when too large. */
    public MediaView upload(CurrentUser actor, String fileName, String declaredType, InputStream content) {
        String type = MediaTypes.accepted(declaredType).orElseThrow(() -> new ApiException(
                ProblemType.UNSUPPORTED_MEDIA_TYPE, "Media of type " + declaredType + " is not accepted; accepted: "
                + MediaTypes.list()));
        MediaStore.Stored stored = write(content, type);
        UUID id = UUID.randomUUID();
        String name = cleanFileName(fileName);
        return transactions.write(() -> {
            media.insertUpload(id, actor.workspaceId(), type, stored.size(), stored.sha256(), name, actor.userId());
            audit.record("media.uploaded", Outcome.SUCCESS, actor.workspaceId(), actor.userId(), id.toString(),
                    Map.of("contentType", type, "bytes", stored.size(), "sha256", stored.sha256()));
            return media.find(actor.workspaceId(), id).orElseThrow().view();
        });
    }

    private MediaStore.Stored write(InputStream content, String type) {
        try {
            return store.store(content, maxBytes, head -> MediaTypes.matches(type, head));
        } catch (MediaStore.Refused notOfItsType) {
            throw new ApiException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "The file's content is not " + type);
        } catch (MediaStore.TooLarge tooLarge) {
            throw new ApiException(ProblemType.PAYLOAD_TOO_LARGE, "Media files may be at most " + maxBytes + " bytes");
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /**
     * A media the caller may see: supervisors and up, any of the workspace; agents, their own uploads
     * and the media of conversations they hold. 404 otherwise, as for media of another workspace.
     */
    public MediaView describe(CurrentUser user, UUID id) {
        UUID agent = Permission.CONVERSATIONS_ALL.grantedTo(user.role()) ? null : user.userId();
        return transactions.read(() -> media.find(user.workspaceId(), id)
                        .filter(row -> agent == null || media.visibleToAgent(user.workspaceId(), id, agent)))
                .map(MediaRepository.Row::view)
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such media"));
    }

    /** As {@link #describe}, and 409 while a customer's media is still being downloaded. */
    public MediaView readable(CurrentUser user, UUID id) {
        MediaView view = describe(user, id);
        if (view.sha256() == null) {
            throw new ApiException(ProblemType.CONFLICT, "The media has not been downloaded from WhatsApp yet");
        }
        return view;
    }

    /** Records a customer's media announced by a webhook (joins the caller's transaction); returns its id. */
    public UUID recordInbound(UUID workspaceId, String metaMediaId, String declaredType, String fileName) {
        String type = declaredType == null ? "application/octet-stream"
                : declaredType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return media.insertInbound(workspaceId, metaMediaId, type.length() > 100 ? type.substring(0, 100) : type,
                cleanFileName(fileName));
    }

    /** A customer media waiting to be downloaded. */
    public record Pending(UUID id, UUID workspaceId, String metaMediaId) {
    }

    public List<Pending> toFetch(int limit) {
        return transactions.read(() -> media.toFetch(FETCH_ATTEMPTS, limit)).stream()
                .map(row -> new Pending(row.view().id(), row.workspaceId(), row.metaMediaId())).toList();
    }

    /** Takes a download for this node; false when another one is at it or it is done. */
    public boolean claimFetch(UUID id) {
        return transactions.write(() -> media.claimFetch(id));
    }

    /** Stores a downloaded customer media; its type is what Meta said it is. */
    public void storeFetched(UUID id, String contentType, InputStream content) throws IOException, MediaStore.TooLarge {
        MediaStore.Stored stored;
        try {
            stored = store.store(content, maxBytes, head -> true);
        } catch (MediaStore.Refused impossible) {
            throw new IllegalStateException(impossible);
        }
        String type = contentType == null ? "application/octet-stream"
                : contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        transactions.write(() -> {
            media.markStored(id, type.length() > 100 ? type.substring(0, 100) : type, stored.size(), stored.sha256());
            return null;
        });
    }

    public void fetchFailed(UUID id, String error) {
        transactions.write(() -> {
            media.markFetchFailed(id, error);
            return null;
        });
    }

    /** An uploaded media of the workspace, ready to send; 404 when there is none such. */
    public MediaView uploaded(UUID workspaceId, UUID id) {
        return transactions.read(() -> media.find(workspaceId, id)).map(MediaRepository.Row::view)
                .filter(view -> "UPLOAD".equals(view.source()))
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No such uploaded media"));
    }

    /** Meta's id of a customer's media still to be downloaded; empty when there is none such. */
    public Optional<String> metaMediaIdOfInbound(UUID workspaceId, UUID id) {
        return transactions.read(() -> media.find(workspaceId, id))
                .filter(row -> "INBOUND".equals(row.view().source()) && row.view().sha256() == null)
                .map(MediaRepository.Row::metaMediaId);
    }

    /** Meta's id of an uploaded media, when it was sent before. */
    public Optional<String> metaMediaId(UUID workspaceId, UUID id) {
        return transactions.read(() -> media.find(workspaceId, id)).map(MediaRepository.Row::metaMediaId);
    }

    public void rememberMetaMediaId(UUID id, String metaMediaId) {
        transactions.write(() -> {
            media.setMetaMediaId(id, metaMediaId);
            return null;
        });
    }

    public Path path(MediaView view) {
        return store.path(view.sha256());
    }

    /** The last path segment, without control characters, at most 255 characters; null when empty. */
    static String cleanFileName(String raw) {
        if (raw == null) {
            return null;
        }
        String name = raw.substring(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1)
                .replaceAll("[\\p{Cntrl}\"]", "").strip();
        if (name.isEmpty()) {
            return null;
        }
        return name.length() > 255 ? name.substring(name.length() - 255) : name;
    }
}
