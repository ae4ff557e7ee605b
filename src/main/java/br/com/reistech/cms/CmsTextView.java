package br.com.reistech.cms;

/**
 * A CMS text; {@code format} is {@code text} (what the bot sends) or {@code html} (cleaned to a safe
 * subset when written); {@code custom} is false for a built-in default the workspace has not replaced.
 */
public record CmsTextView(String key, String locale, String content, String format, boolean custom) {
}
