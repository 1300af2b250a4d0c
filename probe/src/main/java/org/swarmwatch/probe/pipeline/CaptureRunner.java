package org.swarmwatch.probe.pipeline;

import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.swarmwatch.events.health.Heartbeat;
import org.swarmwatch.probe.source.CaptureException;
import org.swarmwatch.probe.source.FrameHandler;
import org.swarmwatch.probe.source.PacketSource;

/**
 * Runs one {@link PacketSource} into a {@link ProbePipeline} on two threads: a reader thread in
 * libpcap (whose per-frame callback through JNA costs about as much as all of decode and flow
 * lookup) and the calling thread doing the processing. Frames cross in batches of
 * {@value #BATCH} through a bounded queue, so the reader blocks when processing falls behind
 * (files) and libpcap's kernel buffer absorbs bursts (live; its drops are counted).
 *
 * <p>With a paced {@link ReplaySpeed}, the reader sleeps to keep the recorded gaps between frames
 * and hands each frame over at once.
 *
 * <p>{@link #rebaseToNow()} shifts every timestamp by one offset so that the first frame is stamped
 * with the wall-clock time it is read at: a recorded capture then looks like live traffic (the
 * demo replays the same captures in a loop this way, and the dashboard shows them as recent).
 *
 * <p>Both threads beat a {@link Heartbeat} (see {@link #heartbeats}) at least every
 * {@value #BEAT_MILLIS} ms while they make progress or wait as they should (for frames, for room
 * in the queue, for a paced frame's time): a thread that stops beating is wedged, and the health
 * endpoint's liveness check says so.
 */
public final class CaptureRunner {
    static final int BATCH = 256;
    private static final int QUEUE = 16;
    /** The longest a thread waits without beating its heartbeat. */
    static final long BEAT_MILLIS = 1000;
    /** The reader beats every this many frames (a power of two), besides each hand-over. */
    private static final int BEAT_FRAMES = 64;

    private final PacketSource source;
    private final ProbePipeline pipeline;
    private final ReplaySpeed speed;
    private volatile long framesRead, bytesRead;
    private volatile boolean cancelled;
    private volatile Thread readerThread;
    /** Set when processing failed: the reader must stop handing batches over. */
    private volatile boolean processingGone;
    private boolean rebase;
    private Heartbeat readerBeat = new Heartbeat("capture"), processingBeat = new Heartbeat("processing");

    public CaptureRunner(PacketSource source, ProbePipeline pipeline, ReplaySpeed speed) {
        this.source = source;
        this.pipeline = pipeline;
        this.speed = speed;
    }

    /**
     * Stamps frames as if captured now: the first frame at the wall-clock time it is read, the
     * others at their recorded distance from it. Call before {@link #run}.
     */
    public CaptureRunner rebaseToNow() {
        rebase = true;
        return this;
    }

    /**
     * The heartbeats the reader thread and the processing thread beat (a command keeps them across
     * the runners of several files). Call before {@link #run}.
     */
    public CaptureRunner heartbeats(Heartbeat reader, Heartbeat processing) {
        this.readerBeat = reader;
        this.processingBeat = processing;
        return this;
    }

    /** Frames read so far (for progress displays; any thread; updated per batch). */
    public long framesRead() {
        return framesRead;
    }

    /**
     * Bytes of the capture file read so far, counted as classic pcap lays them out (24-byte file
     * header, 16-byte record headers): exact for pcap, an estimate for pcapng. For progress displays.
     */
    public long bytesRead() {
        return bytesRead;
    }

    /** Stops the capture soon; the frames read so far are still processed. Any thread. */
    public void cancel() {
        cancelled = true;
        source.stop();
        Thread reader = readerThread;
        if (reader != null) {
            reader.interrupt(); // wakes a paced replay's sleep or a hand-over waiting for room
        }
    }

    /**
     * Reads the whole capture and processes it; returns when both are done.
     *
     * @param onBatch called on the processing thread after each batch with the frames processed so far
     * @throws CaptureException if the source failed (frames before the failure have been processed)
     */
    public void run(LongConsumer onBatch) throws CaptureException, InterruptedException {
        BlockingQueue<Batch> full = new ArrayBlockingQueue<>(QUEUE);
        BlockingQueue<Batch> free = new ArrayBlockingQueue<>(QUEUE + 2);
        for (int i = 0; i < QUEUE + 2; i++) {
            free.add(new Batch());
        }
        Reader reader = new Reader(full, free);
        Thread thread = new Thread(reader, "capture-" + source.name());
        thread.setDaemon(true);
        readerThread = thread;
        pipeline.beginCapture(source.name(), source.linkType());
        thread.start();
        long processed = 0;
        try {
            while (true) {
                processingBeat.beat();
                Batch b = full.poll(BEAT_MILLIS, TimeUnit.MILLISECONDS);
                if (b == null) {
                    continue; // waiting for the reader is progress too: a wedged reader shows in its own heartbeat
                }
                if (b.idleMicros != 0) {
                    pipeline.onIdle(b.idleMicros, source.stats());
                }
                for (int i = 0; i < b.count; i++) {
                    pipeline.onFrame(b.frames[i], b.captured[i], b.wire[i], b.timestamps[i], b.live ? source.stats() : null);
                    b.frames[i] = null;
                }
                processed += b.count;
                boolean last = b.last;
                b.reset();
                free.put(b);
                if (onBatch != null) {
                    onBatch.accept(processed);
                }
                if (last) {
                    break;
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            processingGone = true;
            source.stop();
            thread.interrupt();
            throw e;
        } finally {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        pipeline.endCapture(source.stats());
        if (reader.failure != null) {
            throw reader.failure;
        }
    }

    private static final class Batch {
        final byte[][] frames = new byte[BATCH][];
        final int[] captured = new int[BATCH];
        final int[] wire = new int[BATCH];
        final long[] timestamps = new long[BATCH];
        int count;
        long idleMicros;
        boolean last;
        boolean live;

        void reset() {
            count = 0;
            idleMicros = 0;
            last = false;
        }
    }

    private final class Reader implements Runnable, FrameHandler {
        private final BlockingQueue<Batch> full, free;
        private Batch current;
        volatile CaptureException failure;
        private long frames, bytes = 24;
        private long firstFrameMicros = Long.MIN_VALUE;
        private long startNanos;
        private long offsetMicros = Long.MIN_VALUE;

        Reader(BlockingQueue<Batch> full, BlockingQueue<Batch> free) {
            this.full = full;
            this.free = free;
        }

        @Override
        public void run() {
            readerBeat.beat();
            boolean live = source.stats() != null;
            current = take(free);
            if (current == null) {
                return;
            }
            current.live = live;
            try {
                source.run(this);
            } catch (CaptureException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new CaptureException(source.name() + ": capture failed: " + e, false, e);
            }
            framesRead = frames;
            bytesRead = bytes;
            current.last = true;
            put(current);
        }

        @Override
        public void onFrame(byte[] frame, int capturedLength, int wireLength, long timestampMicros) {
            if (cancelled || processingGone) {
                return;
            }
            if (speed.paced()) {
                pace(timestampMicros);
            }
            if (rebase) {
                if (offsetMicros == Long.MIN_VALUE) {
                    Instant now = Instant.now();
                    offsetMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000 - timestampMicros;
                }
                timestampMicros += offsetMicros;
            }
            Batch b = current;
            b.frames[b.count] = frame;
            b.captured[b.count] = capturedLength;
            b.wire[b.count] = wireLength;
            b.timestamps[b.count] = timestampMicros;
            b.count++;
            if ((++frames & (BEAT_FRAMES - 1)) == 0) {
                readerBeat.beat(); // a steady trickle fills a batch slowly and never idles
            }
            bytes += 16 + capturedLength;
            if (b.count == BATCH || speed.paced()) {
                handOver();
            }
        }

        @Override
        public void onIdle(long wallClockMicros) {
            current.idleMicros = wallClockMicros;
            handOver();
        }

        private void handOver() {
            readerBeat.beat();
            framesRead = frames;
            bytesRead = bytes;
            boolean live = current.live;
            if (!put(current)) {
                current.reset(); // processing is gone: nothing more can be delivered
                return;
            }
            current = take(free);
            if (current == null) {
                current = new Batch(); // processing is gone; frames read from here on are dropped with it
            }
            current.live = live;
        }

        /**
         * Interrupts only wake the reader (a cancel during a paced sleep or a full queue); they do
         * not stop the hand-over, or the last batch and its end mark would never reach processing.
         */
        private boolean put(Batch b) {
            while (!processingGone) {
                try {
                    if (full.offer(b, BEAT_MILLIS, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                } catch (InterruptedException e) {
                    // woken by cancel(): try again; processing keeps draining until it sees the last batch
                }
                readerBeat.beat(); // waiting for processing: its own heartbeat says whether it moves
            }
            return false;
        }

        private Batch take(BlockingQueue<Batch> queue) {
            while (!processingGone) {
                try {
                    Batch b = queue.poll(BEAT_MILLIS, TimeUnit.MILLISECONDS);
                    if (b != null) {
                        return b;
                    }
                } catch (InterruptedException e) {
                    // as in put
                }
                readerBeat.beat();
            }
            return null;
        }

        /** Sleeps until the frame is due at the replay speed, measured from the first frame. */
        private void pace(long timestampMicros) {
            if (firstFrameMicros == Long.MIN_VALUE) {
                firstFrameMicros = timestampMicros;
                startNanos = System.nanoTime();
                return;
            }
            long dueNanos = startNanos + (long) ((timestampMicros - firstFrameMicros) * 1000.0 / speed.factor());
            long now = System.nanoTime();
            long until = now + Math.min(dueNanos - now, TimeUnit.SECONDS.toNanos(60));
            try {
                // in steps, beating between them: a recorded gap of a minute is a wait, not a wedge
                for (long wait = until - now; wait > 0 && !cancelled; wait = until - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(BEAT_MILLIS)));
                    readerBeat.beat();
                }
            } catch (InterruptedException e) {
                // cancel() woke us: the frame is handed over and the source stops at its next callback
            }
        }
    }
}
