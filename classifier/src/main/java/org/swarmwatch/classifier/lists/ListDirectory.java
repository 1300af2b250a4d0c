package org.swarmwatch.classifier.lists;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rights-holder lists of one directory, kept loaded: every {@code *.csv} and {@code *.json}
 * file (hidden files aside) with its {@code .sig} beside it. {@link #start} loads them all, then
 * polls the directory and reloads what changed.
 *
 * <p>Rules (docs/rights-lists.md#reloading):
 * <ul>
 *   <li>A file is (re)loaded when its size, modification time or identity (inode), or those of its
 *       {@code .sig}, differ from the last attempt. Rewriting a list and then its signature makes
 *       two attempts: the first may be rejected, the second loads.</li>
 *   <li>A rejected file changes nothing: the version of its list loaded before stays active.</li>
 *   <li>A file that disappears takes its list with it. A directory that cannot be read changes
 *       nothing.</li>
 *   <li>Two files may not hold the same list id: the one loaded second is rejected.</li>
 *   <li>A reload whose bytes and signer equal the active version's makes no new version.</li>
 * </ul>
 *
 * <p>{@link #active()} may be called from any thread; scans run one at a time.
 */
public final class ListDirectory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ListDirectory.class);
    private static final int HISTORY = 1000;

    private final Path directory;
    private final ListLoader loader;
    private final Clock clock;
    private final List<ListListener> listeners = new CopyOnWriteArrayList<>();
    /** Held for a whole scan, listeners' calls included, so that scans and their events never interleave. */
    private final Object scanLock = new Object();

    private final Map<String, ActiveLists.Item> activeByFile = new TreeMap<>();
    private final Map<String, Stamp> attempted = new HashMap<>();
    private final Deque<ListVersion> versions = new ArrayDeque<>();
    private final Deque<ListRejection> rejections = new ArrayDeque<>();
    private volatile ActiveLists active = ActiveLists.empty();
    private ScheduledExecutorService poller;

    /** What tells a file changed: its size, modification time and identity, and its signature's. */
    private record Stamp(long size, FileTime modified, Object key, long sigSize, FileTime sigModified, Object sigKey) {
    }

    public ListDirectory(Path directory, ListLoader loader, Clock clock) {
        this.directory = directory;
        this.loader = loader;
        this.clock = clock;
    }

    public void addListener(ListListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /** The lists active now. */
    public ActiveLists active() {
        return active;
    }

    /** The last 1000 versions loaded, oldest first. */
    public synchronized List<ListVersion> versions() {
        return List.copyOf(versions);
    }

    /** The last 1000 rejections, oldest first. */
    public synchronized List<ListRejection> rejections() {
        return List.copyOf(rejections);
    }

    /**
     * Loads every list now, on the calling thread, then scans again every {@code interval} on a
     * daemon thread until {@link #close}.
     */
    public void start(Duration interval) {
        scan();
        synchronized (this) {
            if (poller != null) {
                throw new IllegalStateException("already started");
            }
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rights-lists " + directory.getFileName());
                t.setDaemon(true);
                return t;
            });
            long ms = interval.toMillis();
            poller.scheduleWithFixedDelay(this::scanQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            log.error("scanning the list directory {} failed", directory, e);
        }
    }

    /**
     * Looks at the directory once: loads new and changed files, drops removed ones, then tells the
     * listeners. Returns the lists active afterwards.
     */
    public ActiveLists scan() {
        synchronized (scanLock) {
            return scanOnce();
        }
    }

    private ActiveLists scanOnce() {
        List<Runnable> events = new ArrayList<>();
        boolean changed;
        synchronized (this) {
            Map<String, Path> present;
            try {
                present = listFiles();
            } catch (IOException e) {
                log.warn("cannot read the list directory {}; the active lists stay as they are: {}", directory,
                        e.toString());
                return active;
            }
            changed = removeGone(present, events);
            for (Map.Entry<String, Path> f : present.entrySet()) {
                changed |= consider(f.getKey(), f.getValue(), events);
            }
            if (changed) {
                active = ActiveLists.of(activeByFile);
            }
        }
        for (Runnable e : events) {
            e.run();
        }
        if (changed) {
            ActiveLists now = active;
            tell(l -> l.activeChanged(now));
        }
        return active;
    }

    private Map<String, Path> listFiles() throws IOException {
        Map<String, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && ListFormat.ofFileName(name) != null
                        && Files.isRegularFile(p)) {
                    files.put(name, p);
                }
            }
        }
        return files;
    }

    private boolean removeGone(Map<String, Path> present, List<Runnable> events) {
        attempted.keySet().retainAll(present.keySet());
        boolean changed = false;
        for (String file : new ArrayList<>(activeByFile.keySet())) {
            if (!present.containsKey(file)) {
                ListVersion old = activeByFile.remove(file).version();
                ListRemoval removal = new ListRemoval(file, old.listId(), old.sha256(), clock.instant());
                log.info("list {} removed: {} is gone", old.listId(), file);
                events.add(() -> tell(l -> l.removed(removal)));
                changed = true;
            }
        }
        return changed;
    }

    /** Loads {@code file} if it changed since the last attempt; true if the active lists changed. */
    private boolean consider(String name, Path file, List<Runnable> events) {
        Stamp stamp;
        try {
            stamp = stamp(file);
        } catch (IOException e) {
            return false; // gone or unreadable between the listing and now: the next scan sees it
        }
        if (stamp.equals(attempted.get(name))) {
            return false;
        }
        attempted.put(name, stamp);
        ListLoader.Loaded loaded;
        try {
            loaded = loader.load(file);
        } catch (ListFileException e) {
            reject(name, e.getMessage(), events);
            return false;
        }
        ListVersion version = loaded.version();
        for (Map.Entry<String, ActiveLists.Item> other : activeByFile.entrySet()) {
            if (!other.getKey().equals(name) && other.getValue().list().listId().equals(version.listId())) {
                reject(name, name + ": list_id '" + version.listId() + "' is already loaded from " + other.getKey()
                        + "; a list lives in one file", events);
                return false;
            }
        }
        ActiveLists.Item current = activeByFile.get(name);
        if (current != null && current.version().sha256().equals(version.sha256())
                && Objects.equals(current.version().signer(), version.signer())) {
            return false;
        }
        activeByFile.put(name, new ActiveLists.Item(loaded.list(), version));
        remember(versions, version);
        log.info("list {} loaded from {}: {} entries, sha256 {}, signed by {}", version.listId(), name,
                version.entryCount(), version.sha256(), version.signer() == null ? "nobody" : version.signer());
        events.add(() -> tell(l -> l.loaded(version)));
        return true;
    }

    private void reject(String name, String reason, List<Runnable> events) {
        ListRejection rejection = new ListRejection(name, reason, clock.instant());
        remember(rejections, rejection);
        ActiveLists.Item current = activeByFile.get(name);
        log.warn("list file rejected: {}{}", reason, current == null ? ""
                : " (version " + current.version().sha256() + " stays active)");
        events.add(() -> tell(l -> l.rejected(rejection)));
    }

    private static Stamp stamp(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        Path sig = ListLoader.signatureFile(file);
        BasicFileAttributes s;
        try {
            s = Files.readAttributes(sig, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return new Stamp(a.size(), a.lastModifiedTime(), a.fileKey(), -1, null, null);
        }
        return new Stamp(a.size(), a.lastModifiedTime(), a.fileKey(), s.size(), s.lastModifiedTime(), s.fileKey());
    }

    private static <T> void remember(Deque<T> history, T item) {
        if (history.size() == HISTORY) {
            history.removeFirst();
        }
        history.addLast(item);
    }

    private void tell(java.util.function.Consumer<ListListener> call) {
        for (ListListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.error("a list listener failed", e);
            }
        }
    }
}
