package br.com.reistech.web;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Canonical form of a client address: IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) becomes IPv4, IPv6
 * loses its zone and is written in full form, so one client always has one key.
 */
public final class ClientAddress {

    private static final Pattern LITERAL = Pattern.compile("\\[?[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]{1,32})?\\]?");
    private static final Pattern DOTTED_QUAD = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private ClientAddress() {
    }

    /** The canonical form of the IP literal {@code raw}; anything that is not a literal is returned unchanged. */
    public static String normalize(String raw) {
        if (raw != null && isCanonicalIpv4(raw)) {
            return raw; // the usual case, without the two patterns and the parse below
        }
        if (raw == null || raw.isEmpty() || raw.length() > 64 || !LITERAL.matcher(raw).matches()) {
            return raw == null ? "" : raw;
        }
        String literal = raw.startsWith("[") ? raw.substring(1, raw.length() - 1) : raw;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (!literal.contains(":") && !DOTTED_QUAD.matcher(literal).matches()) {
            return raw; // "abc" or "1.2" would be looked up in DNS (or read as shorthand IPv4)
        }
        try {
            // A literal never triggers a DNS lookup; the JDK turns IPv4-mapped IPv6 into Inet4Address.
            InetAddress address = InetAddress.getByName(literal);
            if (address instanceof Inet4Address || address instanceof Inet6Address) {
                return address.getHostAddress();
            }
        } catch (UnknownHostException notAnAddress) {
            return raw;
        }
        return raw;
    }

    /** Four decimal octets of at most 255, without leading zeros: already its own canonical form. */
    private static boolean isCanonicalIpv4(String text) {
        int octets = 0;
        int i = 0;
        int length = text.length();
        while (i < length) {
            int start = i;
            int value = 0;
            while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 3) {
                value = value * 10 + text.charAt(i++) - '0';
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0') || ++octets > 4) {
                return false;
            }
            if (i < length && (text.charAt(i++) != '.' || i == length)) {
                return false;
            }
        }
        return octets == 4;
    }
}
