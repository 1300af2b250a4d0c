package org.swarmwatch.classifier.lists;

/** Whether a list file must come with a detached signature ({@code LIST.csv.sig}). */
public enum SignaturePolicy {
    /** A list without a signature that a trusted key verifies is rejected (the default). */
    REQUIRED,
    /**
     * A list without a {@code .sig} file is loaded unsigned; a list whose {@code .sig} file does
     * not verify is still rejected.
     */
    OPTIONAL
}
