package br.com.reistech.logging;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.logging.log4j.core.async.AsyncWaitStrategyFactory;

/**
 * How the asynchronous {@code http} logger's writer thread waits for lines (log4j2.xml's
 * {@code AsyncWaitStrategyFactory}): it sleeps {@link #SLEEP_NANOS} whenever it finds the ring empty,
 * and a new line never wakes it. One wake-up per 10 ms at most instead of one per request, and the
 * lines of those 10 ms are written as one batch.
 * <p>
 * Stopping is the one signal it answers: when log4j halts the ring (undeploy, reconfiguration), the
 * halting thread wakes the writer and waits for it to end, so the web application's class loader is
 * not left with a running thread of its own (Disruptor itself does not wait for it).
 */
public final class BatchingWaitStrategy implements AsyncWaitStrategyFactory {

    private static final long SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long STOP_WAIT_MILLIS = 2_000;

    @Override
    public WaitStrategy createWaitStrategy() {
        return new Sleeper();
    }

    private static final class Sleeper implements WaitStrategy {

        private volatile Thread writer;
        private volatile SequenceBarrier barrier;

        @Override
        public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
                throws AlertException {
            this.barrier = barrier;
            this.writer = Thread.currentThread();
            long available;
            while ((available = dependentSequence.get()) < sequence) {
                barrier.checkAlert();
                LockSupport.parkNanos(this, SLEEP_NANOS);
            }
            return available;
        }

        /** Called at every published line (nothing to do) and when the ring is halted (wake the writer, wait for it). */
        @Override
        public void signalAllWhenBlocking() {
            SequenceBarrier halted = barrier;
            Thread waiting = writer;
            if (halted == null || waiting == null || !halted.isAlerted() || waiting == Thread.currentThread()) {
                return;
            }
            LockSupport.unpark(waiting);
            try {
                waiting.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
