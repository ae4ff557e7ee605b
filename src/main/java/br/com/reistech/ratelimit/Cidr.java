package br.com.reistech.ratelimit;

import br.com.reistech.web.ClientAddress;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 network ({@code 203.0.113.0/24}, {@code 2001:db8::/32}); a bare address is a /32 or /128. */
public record Cidr(byte[] network, int bits) {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}(/[0-9]{1,3})?");

    public static Cidr parse(String text) {
        if (text == null || !LITERAL.matcher(text.strip()).matches()) {
            throw new IllegalArgumentException("must be an IP address or network such as 203.0.113.0/24 or 2001:db8::/32");
        }
        String[] parts = text.strip().split("/", 2);
        byte[] address = bytes(ClientAddress.normalize(parts[0]));
        if (address == null) {
            throw new IllegalArgumentException("must be an IP address or network such as 203.0.113.0/24 or 2001:db8::/32");
        }
        int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
        if (bits > address.length * 8) {
            throw new IllegalArgumentException("the prefix is longer than the address");
        }
        return new Cidr(mask(address, bits), bits);
    }

    /** Whether the (normalised) address {@code ip} is inside this network. */
    public boolean contains(String ip) {
        return contains(bytes(ip));
    }

    /** Whether {@code address} ({@link #bytes}, null for no address) is inside this network. */
    public boolean contains(byte[] address) {
        return address != null && address.length == network.length && java.util.Arrays.equals(mask(address, bits), network);
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + bits;
        } catch (UnknownHostException impossible) {
            return new BigInteger(1, network).toString(16) + "/" + bits;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && cidr.bits == bits && java.util.Arrays.equals(cidr.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + bits;
    }

    /** The address's bytes, or null when {@code ip} is not an IP literal (no DNS lookup ever). */
    static byte[] bytes(String ip) {
        if (ip == null || !LITERAL.matcher(ip).matches() || ip.contains("/")
                || (!ip.contains(":") && !ip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}"))) {
            return null;
        }
        try {
            return InetAddress.getByName(ClientAddress.normalize(ip)).getAddress();
        } catch (UnknownHostException notAnAddress) {
            return null;
        }
    }

    static byte[] mask(byte[] address, int bits) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            masked[i] &= (byte) (0xFF << (8 - keep));
        }
        return masked;
    }
}
