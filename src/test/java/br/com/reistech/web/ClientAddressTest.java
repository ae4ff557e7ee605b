package br.com.reistech.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressTest {

    @Test
    void ipv4MappedIpv6BecomesIpv4() {
        assertThat(ClientAddress.normalize("::ffff:203.0.113.9")).isEqualTo("203.0.113.9");
    }

    @Test
    void ipv6IsWrittenInOneCanonicalFormWithoutZone() {
        assertThat(ClientAddress.normalize("2001:DB8::1")).isEqualTo(ClientAddress.normalize("2001:db8:0:0:0:0:0:1"));
        assertThat(ClientAddress.normalize("fe80::1%eth0")).isEqualTo(ClientAddress.normalize("fe80::1"));
    }

    @Test
    void ipv4IsKeptAsItIs() {
        assertThat(ClientAddress.normalize("198.51.100.7")).isEqualTo("198.51.100.7");
    }

    @Test
    void aHostNameIsNeverResolved() {
        assertThat(ClientAddress.normalize("example.com")).isEqualTo("example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "10.0.0.1", "192.168.100.200", "1.2.3.4"})
    void aCanonicalIpv4IsItsOwnForm(String literal) throws Exception {
        assertThat(ClientAddress.normalize(literal)).isEqualTo(InetAddress.getByName(literal).getHostAddress())
                .isEqualTo(literal);
    }

    @ParameterizedTest
    @CsvSource({"01.2.3.4,1.2.3.4", "1.2.3.004,1.2.3.4", "256.1.1.1,256.1.1.1", "1.2.3,1.2.3", "1.2.3.4.5,1.2.3.4.5",
            "1.2.3.4.,1.2.3.4.", ".1.2.3.4,.1.2.3.4", "1..2.3,1..2.3", "1.2.3.1234,1.2.3.1234", "1.2.3.-4,1.2.3.-4"})
    void anAddressWithLeadingZerosIsRewrittenAndANonAddressKept(String text, String expected) {
        assertThat(ClientAddress.normalize(text)).isEqualTo(expected);
    }
}
