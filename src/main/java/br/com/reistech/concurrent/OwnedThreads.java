package br.com.reistech.concurrent;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.ThreadContext;

/**
 * Makes the threads of one component's executors and remembers them, so that stopping the component
 * waits until every thread has really ended. An executor reports termination while its last worker
 * is still on its way out, and Tomcat's leak check runs right after undeploy: awaiting termination
 * alone leaves a thread for it to find now and then.
 */
public final class OwnedThreads implements ThreadFactory {

    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();
    private final Queue<Thread> made = new ConcurrentLinkedQueue<>();

    /** Threads are named {@code prefix-1}, {@code prefix-2}... and are daemons. */
    public OwnedThreads(String prefix) {
        this.prefix = prefix;
    }

    /**
     * The thread's log lines carry {@code job:<thread name>} as their request id, unless a task sets
     * a more precise one for its duration.
     */
    @Override
    public Thread newThread(Runnable runnable) {
        String name = prefix + "-" + count.incrementAndGet();
        Thread thread = new Thread(() -> {
            ThreadContext.put("requestId", "job:" + name);
            try {
                runnable.run();
            } finally {
                ThreadContext.clearMap();
            }
        }, name);
        thread.setDaemon(true);
        made.add(thread);
        return thread;
    }

    /**
     * Interrupts {@code executors} (which must run on threads made here or on none), waits for them
     * to finish and then for each thread to end, up to {@code seconds} in all.
     */
    public void stop(int seconds, List<? extends ExecutorService> executors) {
        executors.forEach(ExecutorService::shutdownNow);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            for (ExecutorService executor : executors) {
                executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            for (Thread thread : made) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left > 0) {
                    thread.join(left);
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
