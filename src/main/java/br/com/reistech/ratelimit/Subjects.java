package br.com.reistech.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/** Who a limit counts: an IP (IPv6 by /64), a user, or a login account (hashed: no e-mail in Redis). */
public final class Subjects {

    private Subjects() {
    }

    /**
     * {@code ip:203.0.113.7}, or {@code ip6:20010db8000000aa/64} for every address of an IPv6 /64;
     * {@code ip} in its canonical form ({@link br.com.reistech.web.ClientAddress#normalize}).
     */
    public static String ip(String ip) {
        if (ip.indexOf(':') < 0) {
            return "ip:" + ip;
        }
        byte[] bytes = Cidr.bytes(ip);
        if (bytes != null && bytes.length == 16) {
            return "ip6:" + HexFormat.of().formatHex(bytes, 0, 8) + "/64";
        }
        return "ip:" + ip;
    }

    public static String user(UUID userId) {
        return "user:" + userId;
    }

    /** A login account: the workspace's slug and the e-mail, lower-cased and hashed. */
    public static String account(String workspace, String email) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (workspace.strip().toLowerCase(Locale.ROOT) + "\n" + email.strip().toLowerCase(Locale.ROOT))
                            .getBytes(StandardCharsets.UTF_8));
            return "acct:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
