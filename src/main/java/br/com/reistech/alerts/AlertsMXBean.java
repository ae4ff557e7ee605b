package br.com.reistech.alerts;

import java.util.List;

/** {@code br.com.reistech:type=Alerts}: the operator alerts of this node. */
public interface AlertsMXBean {

    /** Fingerprints of the alerts open now ({@code health}, {@code errors}, {@code whatsapp:<id>}...). */
    List<String> getOpenAlerts();

    /** Messages delivered to Slack since start. */
    long getSent();

    /** Messages not delivered (queue full, over the rate, Slack refused). */
    long getDropped();

    /** The MBean over {@code alerts}; a class, not a factory method: MXBean interfaces may only declare attributes and operations. */
    final class Of implements AlertsMXBean {
        private final Alerts alerts;

        public Of(Alerts alerts) {
            this.alerts = alerts;
        }

        @Override
        public List<String> getOpenAlerts() {
            return alerts.openAlerts();
        }

        @Override
        public long getSent() {
            return alerts.sent();
        }

        @Override
        public long getDropped() {
            return alerts.dropped();
        }
    }
}
