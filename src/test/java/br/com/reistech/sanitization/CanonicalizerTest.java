package br.com.reistech.sanitization;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalizerTest {

    @Test
    void decodesPercentEntityAndJavaScriptEscapes() {
        assertThat(Canonicalizer.canonicalize("%27%20OR%201%3D1").value()).isEqualTo("' OR 1=1");
        assertThat(Canonicalizer.canonicalize("&#39; OR &#x31;=1").value()).isEqualTo("' OR 1=1");
        assertThat(Canonicalizer.canonicalize("\\x27 OR 1=1").value()).isEqualTo("' OR 1=1");
    }

    @Test
    void reportsInputEncodedTwiceAndStillDecodesIt() {
        Canonicalizer.Canonical canonical = Canonicalizer.canonicalize("%2527%20OR%201=1");
        assertThat(canonical.reencoded()).isTrue();
        assertThat(canonical.value()).isEqualTo("' OR 1=1");
    }

    @Test
    void longValuesAreCanonicalisedInTheDetectorsWindowsOnly() {
        String padding = "a&amp;b ".repeat(25_000);
        Canonicalizer.Canonical canonical = Canonicalizer.canonicalize("%27 OR 1=1 " + padding + " %27 OR 2=2");
        assertThat(canonical.value()).startsWith("' OR 1=1 a&b").endsWith("' OR 2=2");
        assertThat(canonical.value().length()).isLessThanOrEqualTo(2 * Canonicalizer.WINDOW + 1);
    }

    @Test
    void leavesPlainTextAlone() {
        Canonicalizer.Canonical canonical = Canonicalizer.canonicalize("Capa 100% algodão, R$ 49,90 & frete grátis");
        assertThat(canonical.reencoded()).isFalse();
        assertThat(canonical.value()).isEqualTo("Capa 100% algodão, R$ 49,90 & frete grátis");
    }
}
