/**
 * Rights-holder lists: the CSV and JSON formats, their Ed25519 signatures, and the directory that
 * keeps them loaded (docs/rights-lists.md).
 *
 * <p>Entry points: {@link org.swarmwatch.classifier.lists.ListDirectory} (load, poll, reload,
 * tell {@link org.swarmwatch.classifier.lists.ListListener}s), its
 * {@link org.swarmwatch.classifier.lists.ActiveLists} snapshot (iterate entries for the matcher,
 * look one up by ordinal for an incident), {@link org.swarmwatch.classifier.lists.ListLoader}
 * (one file), {@link org.swarmwatch.classifier.lists.TrustedKeys} (the keys lists are checked
 * against).
 */
package org.swarmwatch.classifier.lists;
