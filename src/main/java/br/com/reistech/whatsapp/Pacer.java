package br.com.reistech.whatsapp;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Outbound pacing on this node: at most {@code perSecond} messages per phone number, and at least
 * {@code recipientInterval} between two messages to the same recipient. {@link #await} blocks the
 * sending worker until its slot.
 */
final class Pacer {

    private final long numberIntervalNanos;
    private final long recipientIntervalNanos;
    private final Map<String, Long> nextByNumber = new LinkedHashMap<>();
    private final Map<String, Long> nextByRecipient = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 100_000;
        }
    };

    Pacer(int perSecond, Duration recipientInterval) {
        this.numberIntervalNanos = 1_000_000_000L / perSecond;
        this.recipientIntervalNanos = recipientInterval.toNanos();
    }

    void await(String phoneNumberId, String recipient) throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, Math.max(nextByNumber.getOrDefault(phoneNumberId, now),
                    nextByRecipient.getOrDefault(recipient, now)));
            nextByNumber.put(phoneNumberId, slot + numberIntervalNanos);
            if (recipientIntervalNanos > 0) {
                nextByRecipient.put(recipient, slot + recipientIntervalNanos);
            }
            wait = slot - now;
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
