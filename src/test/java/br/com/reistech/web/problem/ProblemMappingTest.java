package br.com.reistech.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import br.com.reistech.web.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class ProblemMappingTest {

    private final ObjectMapper json = Json.newMapper();

    record Body(int quantidade) {
    }

    @Test
    void unexpectedExceptionBecomes500WithoutDetail() {
        Problem problem = ProblemMapping.toProblem(new IllegalStateException("password=hunter2"), "/api/x", "rid");
        assertThat(problem.status()).isEqualTo(500);
        assertThat(problem.type().toString()).endsWith("/internal-error");
        assertThat(problem.detail()).isNull();
        assertThat(problem.requestId()).isEqualTo("rid");
    }

    @Test
    void lostDatabaseConnectionBecomes503WithRetryAfter() {
        Exception failure = new RuntimeException(new SQLTransientConnectionException("pool timeout"));
        Problem problem = ProblemMapping.toProblem(failure, "/api/x", "rid");
        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.retryAfter()).isEqualTo(5L);
        assertThat(problem.detail()).isNull();
    }

    @Test
    void aDatabaseShuttingDownOrABrokenConnectionIs503() {
        for (String state : new String[] {"57P01", "57P03", "08006", "08003"}) {
            Exception failure = new IllegalStateException(new java.sql.SQLException("terminating connection", state));
            assertThat(ProblemMapping.toProblem(failure, "/api/x", "rid").status()).as(state).isEqualTo(503);
        }
        Exception syntax = new IllegalStateException(new java.sql.SQLException("syntax error", "42601"));
        assertThat(ProblemMapping.toProblem(syntax, "/api/x", "rid").status()).isEqualTo(500);
    }

    @Test
    void wrongJsonTypeNamesTheFieldButNoJavaType() {
        Exception failure = catchJson("{\"quantidade\":\"x\"}");
        Problem problem = ProblemMapping.toProblem(failure, "/api/x", "rid");
        assertThat(problem.type().toString()).endsWith("/invalid-body");
        assertThat(problem.detail()).contains("quantidade").doesNotContain("int", "java", "Body");
    }

    @Test
    void truncatedJsonIsMalformed() {
        Problem problem = ProblemMapping.toProblem(catchJson("{\"quantidade\":"), "/api/x", "rid");
        assertThat(problem.type().toString()).endsWith("/malformed-json");
    }

    @Test
    void contentAfterTheDocumentIsMalformed() {
        Problem problem = ProblemMapping.toProblem(catchJson("{\"quantidade\":1} {}"), "/api/x", "rid");
        assertThat(problem.type().toString()).endsWith("/malformed-json");
    }

    @Test
    void duplicateJsonKeysAreRefused() {
        Problem problem = ProblemMapping.toProblem(catchJson("{\"quantidade\":1,\"quantidade\":2}"), "/api/x", "rid");
        assertThat(problem.status()).isEqualTo(400);
    }

    @Test
    void apiExceptionKeepsItsTypeDetailAndViolations() {
        ApiException failure = new ApiException(ProblemType.CONFLICT, "Slug already taken",
                java.util.List.of(new Problem.Violation("slug", "body", "already taken")));
        Problem problem = ProblemMapping.toProblem(failure, "/api/x", "rid");
        assertThat(problem.status()).isEqualTo(409);
        assertThat(problem.detail()).isEqualTo("Slug already taken");
        assertThat(problem.violations()).hasSize(1);
    }

    private Exception catchJson(String text) {
        try {
            json.readValue(text, Body.class);
            throw new AssertionError("expected a JSON failure for " + text);
        } catch (Exception failure) {
            return failure;
        }
    }
}
