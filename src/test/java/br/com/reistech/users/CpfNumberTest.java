package br.com.reistech.users;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpfNumberTest {

    @Test
    void validCpfIsNormalisedToDigits() {
        assertThat(CpfNumber.normalize("529.982.247-25")).isEqualTo("52998224725");
        assertThat(CpfNumber.normalize("52998224725")).isEqualTo("52998224725");
    }

    @Test
    void wrongCheckDigitsAreRefused() {
        assertThat(CpfNumber.normalize("529.982.247-24")).isNull();
        assertThat(CpfNumber.normalize("52998224735")).isNull();
    }

    @Test
    void repeatedDigitsAreRefusedEvenThoughTheirCheckDigitsAddUp() {
        assertThat(CpfNumber.normalize("111.111.111-11")).isNull();
        assertThat(CpfNumber.normalize("00000000000")).isNull();
    }

    @Test
    void malformedInputIsRefused() {
        assertThat(CpfNumber.normalize("529.98224725")).isNull();
        assertThat(CpfNumber.normalize("5299822472")).isNull();
        assertThat(CpfNumber.normalize("abc")).isNull();
        assertThat(CpfNumber.normalize(null)).isNull();
    }

    @Test
    void maskedFormHidesTheFirstThreeAndCheckDigits() {
        assertThat(CpfNumber.masked("52998224725")).isEqualTo("***.982.247-**");
    }
}
