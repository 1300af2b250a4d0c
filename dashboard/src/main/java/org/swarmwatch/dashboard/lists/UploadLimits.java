package org.swarmwatch.dashboard.lists;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Locale;
import org.apache.tomcat.util.http.fileupload.impl.FileSizeLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.SizeException;
import org.springframework.boot.servlet.autoconfigure.MultipartProperties;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * The two bounds on a rights-list upload, and the words for a refusal. The list's own limit,
 * {@code swarmwatch.dashboard.lists.max-upload-bytes}, is checked on the file the servlet
 * container took; the container's multipart limits ({@code spring.servlet.multipart.max-file-size},
 * {@code max-request-size}, set a little above it) stop a larger body before anything reads it,
 * and Spring reports that as a {@link MaxUploadSizeExceededException}. Either way the person
 * reads the same sentence: the file, its size where known, and the limit with the property that
 * sets it ({@code rights.csv is 300 MiB (314572800 bytes); list uploads are limited to 256 MiB
 * (268435456 bytes) by swarmwatch.dashboard.lists.max-upload-bytes}).
 *
 * <p>Tomcat's exceptions are read for the file name and sizes (the container is Tomcat, Spring
 * Boot's default; with another one the refusal still comes, without the file's name).
 */
@Component
public class UploadLimits {
    static final String LIST_PROPERTY = "swarmwatch.dashboard.lists.max-upload-bytes";
    private static final String FILE_PROPERTY = "spring.servlet.multipart.max-file-size";
    private static final String REQUEST_PROPERTY = "spring.servlet.multipart.max-request-size";

    private final Limit effective;
    private final long maxRequestBytes;

    public UploadLimits(ListUpload upload, MultipartProperties multipart) {
        long file = bytes(multipart.getMaxFileSize());
        this.maxRequestBytes = bytes(multipart.getMaxRequestSize());
        Limit limit = new Limit(upload.maxUploadBytes(), LIST_PROPERTY);
        if (file < limit.bytes()) {
            limit = new Limit(file, FILE_PROPERTY);
        }
        if (maxRequestBytes < limit.bytes()) {
            limit = new Limit(maxRequestBytes, REQUEST_PROPERTY);
        }
        this.effective = limit;
    }

    /** A limit in bytes and the property that sets it. */
    public record Limit(long bytes, String property) {
    }

    /** The smallest of the list's and the container's limits: what a list file may hold. */
    public Limit effective() {
        return effective;
    }

    /**
     * What a too-large upload was, as far as the refusal tells: the file's name (null: unknown),
     * its size (-1: unknown, only that it is too large), the whole request's (-1: unknown).
     */
    public record TooLarge(String fileName, long bytes, long requestBytes) {
    }

    /** Why {@code fileName} (null: unknown) of {@code bytes} (-1: unknown) is refused. */
    public String refusal(String fileName, long bytes) {
        return refusal(new TooLarge(fileName, bytes, -1));
    }

    /** Why the upload is refused: the file, its size or else the whole upload's, the limit and the property that sets it. */
    public String refusal(TooLarge what) {
        String size = what.bytes() >= 0 ? human(what.bytes())
                : what.requestBytes() > 0 ? "too large: the whole upload is " + human(what.requestBytes()) : "too large";
        return (what.fileName() == null ? "The upload" : what.fileName()) + " is " + size + "; list uploads are limited to "
                + human(effective.bytes()) + " by " + effective.property();
    }

    /** The file and size of a body the container refused, from Tomcat's exception and the request's length. */
    public static TooLarge tooLarge(MaxUploadSizeExceededException e, long requestLength) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileSizeLimitExceededException f) {
                // its actual size is what was read when the limit was passed, not the file's size
                String name = f.getFileName() == null || f.getFileName().isBlank() ? null : f.getFileName();
                return new TooLarge(name, -1, requestLength);
            }
        }
        return new TooLarge(null, requestLength, -1);
    }

    /** For the API: which of the container's limits the body passed, and by how much where known. */
    public static String describe(MaxUploadSizeExceededException e, long requestLength) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FileSizeLimitExceededException f) {
                return "the file '" + (f.getFileName() == null ? f.getFieldName() : f.getFileName()) + "' is larger than the "
                        + human(f.getPermittedSize()) + " a file may hold, " + FILE_PROPERTY;
            }
            if (t instanceof SizeException s) {
                return "the request body" + (s.getActualSize() > 0 ? " (" + human(s.getActualSize()) + ")" : "") + " is larger than the "
                        + human(s.getPermittedSize()) + " a request may hold, " + REQUEST_PROPERTY;
            }
        }
        return "the request body" + (requestLength > 0 ? " (" + human(requestLength) + ")" : "") + " is larger than the upload limits, "
                + FILE_PROPERTY + " and " + REQUEST_PROPERTY;
    }

    /**
     * Whether {@code request} is a list upload whose body the container refused for its size, so
     * that nothing of it, the CSRF token included, can be read. Parses the multipart body (what
     * reading any of its parameters does anyway); the parse's outcome is kept by the container.
     */
    public boolean refusedUnread(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || !"/lists".equals(request.getServletPath()) || request.getContentType() == null
                || !request.getContentType().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return false;
        }
        if (maxRequestBytes < Long.MAX_VALUE && request.getContentLengthLong() > maxRequestBytes) {
            return true;
        }
        try {
            request.getParts();
            return false;
        } catch (IllegalStateException | IOException | ServletException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SizeException) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code 256 MiB (268435456 bytes)}, {@code 8.5 KiB (8704 bytes)}; whole units without a decimal. */
    public static String human(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        String n = v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
        return n + " " + units[u] + " (" + bytes + " bytes)";
    }

    private static long bytes(DataSize size) {
        return size == null || size.isNegative() ? Long.MAX_VALUE : size.toBytes();
    }
}
