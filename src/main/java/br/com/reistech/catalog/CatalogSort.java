package br.com.reistech.catalog;

import br.com.reistech.web.problem.ApiException;
import br.com.reistech.web.problem.Problem;
import br.com.reistech.web.problem.ProblemType;
import java.util.List;
import java.util.Map;

/**
 * The {@code sort} parameter of a catalog search: a field name, {@code -} first for descending
 * ({@code price}, {@code -price}). Only these fields exist; anything else is a 400, never SQL.
 */
public record CatalogSort(String column, boolean descending) {

    private static final Map<String, String> COLUMNS = Map.of(
            "name", "name", "price", "price", "stock", "stock", "sku", "sku", "updatedAt", "updated_at");

    public static CatalogSort parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return new CatalogSort("name", false);
        }
        boolean descending = raw.startsWith("-");
        String column = COLUMNS.get(descending ? raw.substring(1) : raw);
        if (column == null) {
            throw new ApiException(ProblemType.INVALID_PARAMETER, "sort must be one of " + COLUMNS.keySet()
                    + ", optionally prefixed with -", List.of(new Problem.Violation("sort", "query", "unknown field")));
        }
        return new CatalogSort(column, descending);
    }

    String orderBy() {
        return column + (descending ? " desc" : " asc") + ", id asc";
    }
}
