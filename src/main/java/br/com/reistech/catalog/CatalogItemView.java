package br.com.reistech.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A catalog item as the API and the bot see it. */
public record CatalogItemView(UUID id, String sku, String name, String description, BigDecimal price, int stock,
                              boolean active, Instant updatedAt) {
}
