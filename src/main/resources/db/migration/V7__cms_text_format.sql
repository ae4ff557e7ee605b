-- A CMS text is plain text (what the bot sends on WhatsApp) or HTML (for web pages of the store);
-- HTML texts are cleaned to a safe subset by the sanitization filter before they are stored.
alter table cms_text add column format varchar(8) not null default 'text' check (format in ('text', 'html'));
