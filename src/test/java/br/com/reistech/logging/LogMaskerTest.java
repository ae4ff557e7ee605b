package br.com.reistech.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LogMaskerTest {

    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cpf 123.456.789-09 registered    | cpf ***.***.***-09 registered",
        "cpf=12345678909                  | cpf=*********09",
        "{\"cpf\":\"123.456.789-09\"}     | {\"cpf\":\"***.***.***-09\"}",
    })
    void masksCpfKeepingTheLastTwoDigits(String raw, String masked) {
        assertThat(LogMasker.mask(raw)).isEqualTo(masked);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "call +55 11 98765-4321 now      | call +55 ** *****-**21 now",
        "call +55 (11) 98765-4321        | call +55 (**) *****-**21",
        "call +5511987654321             | call +55*********21",
        "call (11) 98765-4321            | call (**) *****-**21",
        "call (11) 3456-7890             | call (**) ****-**90",
        "call 11 98765-4321              | call ** *****-**21",
        "call 98765-4321                 | call *****-**21",
        "wa_id=5511987654321             | wa_id=55*********21",
        "from 11987654321 at 10:00       | from *********21 at 10:00",
        "{\"wa_id\":\"447911123456\"}    | {\"wa_id\":\"**********56\"}",
        "call +14155552671               | call +*********71",
        "GET /api/contacts/5511987654321 | GET /api/contacts/55*********21",
    })
    void masksPhoneNumbersKeepingTheLastTwoDigits(String raw, String masked) {
        assertThat(LogMasker.mask(raw)).isEqualTo(masked);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "token " + JWT + " refused",
        "{\"jwt\":\"" + JWT + "\"}",
        "jwt=" + JWT,
    })
    void replacesJsonWebTokensEntirely(String raw) {
        String masked = LogMasker.mask(raw);

        assertThat(masked).doesNotContain("eyJ").doesNotContain("c2lnbmF0dXJl").contains("***");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Authorization: Bearer abc.def-ghi_123456       | Authorization: Bearer ***",
        "sent bearer sk_live_0123456789abcdef           | sent bearer ***",
        "authorization=Basic dXNlcjpwYXNzd29yZA==       | authorization=Basic ***",
    })
    void replacesBearerTokens(String raw, String masked) {
        assertThat(LogMasker.mask(raw)).isEqualTo(masked);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "login password=hunter2 ok                          | login password=*** ok",
        "senha: segredo123                                  | senha: ***",
        "{\"password\":\"hunter2\",\"user\":\"ana\"}        | {\"password\":\"***\",\"user\":\"ana\"}",
        "{\"client_secret\" : \"s3cr3t\"}                   | {\"client_secret\" : \"***\"}",
        "body {\\\"senha\\\":\\\"abc\\\"}                   | body {\\\"senha\\\":\\\"***\\\"}",
        "GET /cb?code=1&access_token=abc123&x=1            | GET /cb?code=1&access_token=***&x=1",
        "refresh_token=r1 api_key=k1 apikey=k2             | refresh_token=*** api_key=*** apikey=***",
        "APP_SECRET=abc DB_PASSWORD='p w'                  | APP_SECRET=*** DB_PASSWORD='***'",
        "SENTRY_DSN=https://key@o1.ingest.sentry.io/2      | SENTRY_DSN=***",
        "url postgres://app:pa55word@db:5432/reistech      | url postgres://app:***@db:5432/reistech",
    })
    void replacesValuesOfSecretLikeKeys(String raw, String masked) {
        assertThat(LogMasker.mask(raw)).isEqualTo(masked);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-11-30T23:59:59.123Z INFO started in durationMs=12",
        "request 3f2a9c1e-7b4d-4e8f-9a6b-123456789012 done",
        "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "client 192.168.100.200:8080 and [2001:db8::1]:443",
        "GET /api/workspaces/3f2a9c1e-7b4d-4e8f-9a6b-123456789012/conversations?page=2 200",
        "version 3.14159265358979 took 1732924800123 ms epoch",
        "queued 42 messages, 1024 bytes, port 5432",
    })
    void leavesOrdinaryTextUntouched(String text) {
        assertThat(LogMasker.mask(text)).isSameAs(text);
    }

    @Test
    void returnsTheSameInstanceWhenNothingCanMatch() {
        String text = "user logged in";

        assertThat(LogMasker.mask(text)).isSameAs(text);
    }

    @Test
    void masksABufferInPlaceFromTheGivenOffset() {
        StringBuilder buffer = new StringBuilder("12345678909 | cpf 12345678909");

        LogMasker.mask(buffer, 14);

        assertThat(buffer).hasToString("12345678909 | cpf *********09");
    }
}
