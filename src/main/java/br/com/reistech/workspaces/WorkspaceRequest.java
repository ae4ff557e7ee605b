package br.com.reistech.workspaces;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Creating ({@code POST /api/workspaces}) or replacing ({@code PUT /api/workspaces/{id}}) a workspace.
 * The slug is fixed at creation (a PUT must repeat it). Settings default to
 * {@link WorkspaceSettings#defaults()} when omitted.
 */
public record WorkspaceRequest(
        @NotBlank @Pattern(regexp = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?",
                message = "must be lower-case letters, digits and '-', at most 63") String slug,
        @NotBlank @Size(max = 120) String name,
        @Valid WorkspaceSettings settings) {
}
