package org.swarmwatch.classifier.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.swarmwatch.classifier.lists.ListListener;
import org.swarmwatch.classifier.lists.ListRejection;
import org.swarmwatch.classifier.lists.ListRemoval;
import org.swarmwatch.classifier.lists.ListVersion;

/**
 * Records every list version loaded, rejected or removed in the {@code <prefix>lists} index, so
 * that the dashboard shows which version was active when, who signed it, and why an upload was
 * refused. Document ids are deterministic (list id and file hash; file, hash of the reason and
 * time for rejections), so a restart that loads the same files writes no second record.
 */
public final class ListVersionIndexer implements ListListener {
    private static final Logger LOG = LoggerFactory.getLogger(ListVersionIndexer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Elastic elastic;

    public ListVersionIndexer(Elastic elastic) {
        this.elastic = elastic;
    }

    @Override
    public void loaded(ListVersion v) {
        ObjectNode doc = event(v.loadedAt(), "loaded", null);
        ObjectNode l = doc.putObject("swarmwatch").putObject("list");
        l.put("id", v.listId());
        l.put("file", v.file());
        l.put("format", v.format().name().toLowerCase(java.util.Locale.ROOT));
        l.put("sha256", v.sha256());
        l.put("bytes", v.fileBytes());
        if (v.signer() != null) {
            l.putObject("signer").put("key_file", v.signer().keyFile()).put("fingerprint", v.signer().fingerprint());
        }
        l.put("entries", v.entryCount());
        l.put("incident_entries", v.incidentEntries());
        l.put("allow_entries", v.allowEntries());
        l.put("duplicate_rows", v.duplicateRows());
        if (v.description() != null) {
            l.put("description", v.description());
        }
        write(v.listId() + "-" + v.sha256(), doc);
    }

    @Override
    public void rejected(ListRejection r) {
        ObjectNode doc = event(r.at(), "rejected", r.reason());
        doc.putObject("swarmwatch").putObject("list").put("file", r.file());
        write("rejected-" + Integer.toHexString((r.file() + r.reason()).hashCode()) + "-" + r.at().toEpochMilli(), doc);
    }

    @Override
    public void removed(ListRemoval r) {
        ObjectNode doc = event(r.at(), "removed", null);
        doc.putObject("swarmwatch").putObject("list").put("id", r.listId()).put("file", r.file());
        write("removed-" + r.listId() + "-" + r.at().toEpochMilli(), doc);
    }

    private static ObjectNode event(Instant at, String action, String reason) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("@timestamp", at.toString());
        ObjectNode e = doc.putObject("event").put("action", action);
        if (reason != null) {
            e.put("reason", reason);
        }
        return doc;
    }

    private void write(String id, ObjectNode doc) {
        try {
            // bounded: the list directory's thread must go on to apply the lists even while Elasticsearch is away
            long deadline = System.currentTimeMillis() + 30_000;
            List<Elastic.Refused> refused = elastic.write(List.of(new Elastic.Doc(elastic.names().lists(), id, JSON.writeValueAsBytes(doc))),
                    () -> System.currentTimeMillis() < deadline);
            refused.forEach(r -> LOG.error("list record {} refused: {}", id, r.reason()));
        } catch (IOException e) {
            LOG.error("list record {} not written: {}", id, e.getMessage());
        } catch (InterruptedException e) {
            LOG.error("list record {} not written: Elasticsearch did not take it within 30 s", id);
        }
    }
}
