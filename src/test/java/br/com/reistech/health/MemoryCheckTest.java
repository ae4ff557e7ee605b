package br.com.reistech.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryCheckTest {

    private static final long MB = 1024 * 1024;

    @Test
    void theOldGenerationOfEachCollectorIsRecognised() {
        assertThat(MemoryCheck.isOldGeneration("PS Old Gen")).isTrue();
        assertThat(MemoryCheck.isOldGeneration("G1 Old Gen")).isTrue();
        assertThat(MemoryCheck.isOldGeneration("Tenured Gen")).isTrue();
        assertThat(MemoryCheck.isOldGeneration("PS Eden Space")).isFalse();
        assertThat(MemoryCheck.isOldGeneration("G1 Survivor Space")).isFalse();
        assertThat(MemoryCheck.isOldGeneration("ZHeap")).isFalse();
    }

    @Test
    void liveDataIsAShareOfItsOwnGenerationsMaximum() {
        // The parallel collector's old generation of a 512 MB heap holds at most 341 MB: 300 MB live
        // there is 88 %, which against the whole heap (59 %) would never reach a 90 % threshold.
        assertThat(MemoryCheck.percent(300 * MB, 341 * MB)).isEqualTo(88);
        assertThat(MemoryCheck.percent(300 * MB, 512 * MB)).isEqualTo(59);
        assertThat(MemoryCheck.percent(1, 0)).isZero();
    }

    @Test
    void thisJvmsOldGenerationIsTheOneJudged() {
        // The test JVM runs G1 or the parallel collector: both have an old generation, no larger than the heap.
        Map<String, Object> figures = new MemoryCheck(90).run().figures();
        assertThat(figures).containsKeys("oldGenAfterGcMb", "oldGenMaxMb", "heapAfterGcPercent", "heapMaxPercent");
        assertThat((Long) figures.get("oldGenMaxMb")).isPositive().isLessThanOrEqualTo((Long) figures.get("heapMaxMb"));
        assertThat((Long) figures.get("heapAfterGcPercent")).isBetween(0L, 100L);
    }
}
