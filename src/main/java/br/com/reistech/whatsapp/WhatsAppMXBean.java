package br.com.reistech.whatsapp;

import java.util.List;
import java.util.Map;

/** {@code br.com.reistech:type=WhatsApp}: the WhatsApp accounts as this node sees them. */
public interface WhatsAppMXBean {

    /** {@code cloud} or {@code simulated}. */
    String getMode();

    /** Each phone number id with its last webhook, last send, last error code and token validity. */
    Map<String, String> getAccounts();

    /** Phone number ids whose sends Meta refuses for the account itself (token, block, payment). */
    List<String> getFailingAccounts();

    /** The MBean over {@code status}; a class, not a factory method: MXBean interfaces may only declare attributes and operations. */
    final class Of implements WhatsAppMXBean {
        private final WhatsAppStatus status;

        public Of(WhatsAppStatus status) {
            this.status = status;
        }

        @Override
        public String getMode() {
            return status.simulated() ? "simulated" : "cloud";
        }

        @Override
        public Map<String, String> getAccounts() {
            Map<String, String> accounts = new java.util.TreeMap<>();
            status.figures().forEach((id, figure) -> accounts.put(id, figure.toString()));
            return accounts;
        }

        @Override
        public List<String> getFailingAccounts() {
            return status.failingAccounts();
        }
    }
}
