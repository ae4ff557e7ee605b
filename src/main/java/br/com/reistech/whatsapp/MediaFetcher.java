package br.com.reistech.whatsapp;

import br.com.reistech.concurrent.OwnedThreads;
import br.com.reistech.media.MediaService;
import br.com.reistech.media.MediaStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Downloads customers' media from Meta into the media store, as soon as a webhook announces one
 * and again from a sweep for those that failed (at most {@link MediaService#FETCH_ATTEMPTS} tries,
 * a minute apart). A download is claimed in the database first, so one node fetches each file.
 */
@ApplicationScoped
public class MediaFetcher {

    private static final Logger LOG = LogManager.getLogger(MediaFetcher.class);

    private final MediaService media;
    private final WhatsAppAccountService accounts;
    private final WhatsAppTransport transport;
    private final OwnedThreads threads = new OwnedThreads("reistech-media");
    private final ThreadPoolExecutor downloads = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(10_000), threads, new ThreadPoolExecutor.DiscardPolicy());
    private final ScheduledThreadPoolExecutor sweeper = new ScheduledThreadPoolExecutor(1, threads);

    @Inject
    public MediaFetcher(MediaService media, WhatsAppAccountService accounts, WhatsAppClient client) {
        this.media = media;
        this.accounts = accounts;
        this.transport = client.transport();
    }

    /** Starts the retry sweep; called once by the composition root. */
    public void start() {
        sweeper.scheduleWithFixedDelay(this::sweep, 30, 30, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        threads.stop(20, List.of(sweeper, downloads));
    }

    void onAnnounced(@Observes MediaAnnounced announced) {
        if (!downloads.isShutdown()) {
            downloads.execute(() -> fetch(announced.workspaceId(), announced.mediaId()));
        }
    }

    private void sweep() {
        try {
            for (MediaService.Pending pending : media.toFetch(100)) {
                fetch(pending.workspaceId(), pending.id());
            }
        } catch (RuntimeException failure) {
            LOG.warn("Media download sweep failed; the next one retries", failure);
        }
    }

    private void fetch(UUID workspaceId, UUID mediaId) {
        try {
            Optional<String> metaId = media.metaMediaIdOfInbound(workspaceId, mediaId);
            if (metaId.isEmpty() || !media.claimFetch(mediaId)) {
                return;
            }
            Optional<WhatsAppAccount> account = accounts.forWorkspace(workspaceId);
            if (account.isEmpty()) {
                media.fetchFailed(mediaId, "the workspace has no WhatsApp account");
                return;
            }
            transport.download(account.get(), metaId.get(), media.maxBytes(),
                    (type, content) -> store(mediaId, type, content));
            LOG.info("Customer media {} downloaded", mediaId);
        } catch (IOException | RuntimeException failure) {
            LOG.warn("Customer media {} not downloaded: {}", mediaId, failure.getMessage());
            try {
                media.fetchFailed(mediaId, String.valueOf(failure.getMessage()));
            } catch (RuntimeException databaseDown) {
                LOG.debug("Download failure not recorded", databaseDown);
            }
        }
    }

    private void store(UUID mediaId, String type, java.io.InputStream content) throws IOException {
        try {
            media.storeFetched(mediaId, type, content);
        } catch (MediaStore.TooLarge tooLarge) {
            throw new IOException("media " + tooLarge.getMessage());
        }
    }
}
