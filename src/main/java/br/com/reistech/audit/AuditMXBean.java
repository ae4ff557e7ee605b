package br.com.reistech.audit;

/** JMX view of the audit trail ({@code br.com.reistech:type=Audit}). */
public interface AuditMXBean {

    /** Recomputes the hash chain; answers whether it is intact and, if not, the first broken row. */
    String verifyChain();
}
