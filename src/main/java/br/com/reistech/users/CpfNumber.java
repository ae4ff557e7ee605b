package br.com.reistech.users;

/** CPF arithmetic: normalisation with check-digit verification, and the masked form for display. */
public final class CpfNumber {

    private CpfNumber() {
    }

    /** Digits only, or null when {@code raw} is not a well-formed CPF. */
    public static String normalize(String raw) {
        if (raw == null || !raw.matches("\\d{11}|\\d{3}\\.\\d{3}\\.\\d{3}-\\d{2}")) {
            return null;
        }
        String digits = raw.replaceAll("\\D", "");
        if (digits.chars().distinct().count() == 1) {
            return null;
        }
        for (int length = 9; length <= 10; length++) {
            int sum = 0;
            for (int i = 0; i < length; i++) {
                sum += (digits.charAt(i) - '0') * (length + 1 - i);
            }
            int check = (sum * 10) % 11 % 10;
            if (check != digits.charAt(length) - '0') {
                return null;
            }
        }
        return digits;
    }

    /** The form safe for logs and lists: {@code ***.456.789-**}. */
    public static String masked(String digits) {
        return digits == null ? null : "***." + digits.substring(3, 6) + "." + digits.substring(6, 9) + "-**";
    }
}
