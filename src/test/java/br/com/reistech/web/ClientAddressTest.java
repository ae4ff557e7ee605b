package br.com.reistech.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
