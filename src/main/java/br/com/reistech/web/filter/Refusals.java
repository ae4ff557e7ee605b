package br.com.reistech.web.filter;

import br.com.reistech.web.problem.ProblemType;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Told of every request a filter refuses, after the problem is written: the composition root sends
 * them to the audit trail ({@link br.com.reistech.audit.RefusalRecorder}) and, for the sanitization
 * filter, to the rate limiter's violation count. A filter never sees what an earlier one refused, so
 * each reports its own.
 */
@FunctionalInterface
public interface Refusals {

    void refused(HttpServletRequest request, ProblemType type, String detail);
}
