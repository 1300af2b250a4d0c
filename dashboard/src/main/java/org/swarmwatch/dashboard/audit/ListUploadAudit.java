package org.swarmwatch.dashboard.audit;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.swarmwatch.classifier.lists.ListVersion;

/**
 * Every rights-list upload through the dashboard, recorded in the audit log (action
 * {@value #ACTION}): who, when, the file's name, and either what the classifier's checks accepted
 * (list id, SHA-256, size, entries, signer and its key fingerprint) or why it was refused.
 *
 * <p>An accepted list changes what the classifier turns into incidents, so it is recorded
 * <em>before</em> it is published: when the audit log does not take the record,
 * {@link #accepted} throws {@link AuditUnavailableException} and the list is not published. A
 * refusal changes nothing; its record is written when the audit log takes it, and otherwise the
 * refusal stays in the application log only (with the user and the reason, as before).
 */
@Service
public class ListUploadAudit {
    public static final String ACTION = "lists.upload";
    private static final Logger LOG = LoggerFactory.getLogger(ListUploadAudit.class);

    private final AuditLog audit;

    public ListUploadAudit(AuditLog audit) {
        this.audit = audit;
    }

    /**
     * Records that {@code who} uploaded {@code version}, checked and about to be published; returns
     * once the record is durable.
     *
     * @throws AuditUnavailableException when the audit log does not take it: do not publish the list
     */
    public void accepted(Authentication who, ListVersion version) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("file_name", version.file());
        list.put("outcome", "accepted");
        list.put("id", version.listId());
        list.put("sha256", version.sha256());
        list.put("bytes", version.fileBytes());
        list.put("entries", version.entryCount());
        list.put("signer", version.signer() == null ? "unsigned" : version.signer().keyFile());
        if (version.signer() != null) {
            list.put("key_fingerprint", version.signer().fingerprint());
        }
        try {
            audit.recordNow(AuditLog.Event.now(ACTION, who, Map.of("list", list)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("the upload of list {} by {} could not be recorded in the audit log; it is not published", version.file(), who.getName(), e);
            throw new AuditUnavailableException(version.file() + " is not published: a list upload is recorded in the audit log first, and "
                    + "the audit log (Elasticsearch) did not take the record. Try again later, or ask an administrator to check the audit index.");
        }
    }

    /** Records that an upload by {@code who} was refused, and why; an audit log that does not take it is logged, not fatal. */
    public void refused(Authentication who, String fileName, String reason) {
        Map<String, Object> list = new LinkedHashMap<>();
        if (fileName != null) {
            list.put("file_name", fileName);
        }
        list.put("outcome", "refused");
        list.put("reason", reason);
        try {
            audit.recordNow(AuditLog.Event.now(ACTION, who, Map.of("list", list)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("the refused upload of list {} by {} could not be recorded in the audit log (it is in this log only)", fileName,
                    who.getName(), e);
        }
    }
}
