package org.swarmwatch.classifier.lists;

/**
 * The trusted key that verified a list's signature.
 *
 * @param keyFile the PEM file's name in the trusted keys directory
 * @param fingerprint SHA-256 of the key's DER SubjectPublicKeyInfo, lowercase hex (what
 *     {@code openssl pkey -pubin -in key.pub.pem -outform DER | sha256sum} prints)
 */
public record Signer(String keyFile, String fingerprint) {
}
