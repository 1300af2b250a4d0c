package org.swarmwatch.classifier.lists;

/**
 * Told what a {@link ListDirectory} did, so that the caller can record it (an audit index) and
 * rebuild its matcher. All methods are called on the thread that runs the scan (the directory's
 * polling thread, or the caller of {@link ListDirectory#scan()}), one scan after another; an
 * exception a listener throws is logged and does not stop the scan or reach other listeners.
 * Default methods do nothing.
 */
public interface ListListener {
    /** A list file was loaded and its version is now active. */
    default void loaded(ListVersion version) {
    }

    /** A list file was rejected; the previous version of its list, if any, stays active. */
    default void rejected(ListRejection rejection) {
    }

    /** A list file disappeared and its list is no longer active. */
    default void removed(ListRemoval removal) {
    }

    /**
     * The set of active lists changed (once per scan, after the calls above): build the matcher
     * from {@code active}.
     */
    default void activeChanged(ActiveLists active) {
    }
}
