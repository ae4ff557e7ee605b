package br.com.reistech.cms;

/** A bot text; {@code custom} is false for a built-in default the workspace has not replaced. */
public record CmsTextView(String key, String locale, String content, boolean custom) {
}
