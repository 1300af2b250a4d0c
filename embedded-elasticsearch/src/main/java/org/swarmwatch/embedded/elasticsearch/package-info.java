/**
 * The node side of the embedded Elasticsearch engine: a real one-node Elasticsearch 8.19 server,
 * started from Maven artifacts without Docker, for the tests and the demo.
 *
 * <p><b>Licence.</b> The server jar ({@code org.elasticsearch:elasticsearch}) is under AGPL-3.0,
 * SSPL or the Elastic License 2.0. It is only the embedded default for tests and the demo;
 * production points Swarmwatch at an existing Elasticsearch cluster, and no production artifact
 * contains or starts this module.
 *
 * <p><b>Layout.</b> This module holds the Elasticsearch dependencies and runs only as a child JVM
 * ({@link org.swarmwatch.embedded.elasticsearch.ChildNode}), started by
 * {@code org.swarmwatch.embedded.EmbeddedElasticsearch} in the {@code embedded} module, which
 * depends on none of these jars: log4j-core, Netty and Lucene stay off the application's class
 * path. The build copies the runtime class path to {@code target/lib} (at
 * {@code process-classes}, so that {@code mvn test} has it too); the child runs with
 * {@code target/classes} (or the jar) and {@code target/lib/*}.
 *
 * <p><b>How the node is made.</b> Maven Central has the server and the {@code transport-netty4}
 * plugin but not the distribution's module bundles, and {@code Node}'s public constructor only
 * loads bundles. So two small classes sit in Elasticsearch's own packages to reach package-private
 * seams: {@link org.elasticsearch.node.ClasspathNode} (a {@code Node} built through
 * {@code NodeConstruction} with its own {@code NodeServiceProvider}) and
 * {@link org.elasticsearch.plugins.ClasspathPluginsService} (constructs plugin classes from the
 * class path, as Elasticsearch's unpublished test framework does). {@link
 * org.swarmwatch.embedded.elasticsearch.RootInfoPlugin} answers {@code GET /} in place of the
 * unpublished {@code rest-root} module. Absent for the same reason: ILM, painless scripts,
 * {@code _delete_by_query}, custom analyzers, {@code scaled_float} (INFRA-NOTES).
 */
package org.swarmwatch.embedded.elasticsearch;
