package br.com.reistech.cms;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Writing a bot text ({@code PUT /api/cms/texts/{key}}); locale defaults to pt-BR. */
public record CmsTextRequest(
        @NotBlank @Size(max = 4096) String content,
        @Pattern(regexp = "[a-z]{2}(-[A-Z]{2})?", message = "must look like pt-BR") String locale,
        @Pattern(regexp = "text|html", message = "must be text or html") String format) {

    /** {@code text} unless {@code html} is asked for. */
    public String effectiveFormat() {
        return format == null ? CmsService.TEXT : format;
    }
}
