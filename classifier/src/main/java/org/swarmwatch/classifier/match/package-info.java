/**
 * The rights-list matcher: {@link org.swarmwatch.classifier.match.HashMatcher} maps BitTorrent
 * content hashes (20-byte v1 or truncated v2, 32-byte v2) to the ordinal of the list entry that names
 * them, exactly and in about 23 bytes per hash. Its class Javadoc states the layout, the memory per
 * entry and the matching rule between the 20- and 32-byte forms.
 */
package org.swarmwatch.classifier.match;
