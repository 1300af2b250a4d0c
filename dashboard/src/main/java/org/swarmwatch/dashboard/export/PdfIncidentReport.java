package org.swarmwatch.dashboard.export;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.Function;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The PDF report (Apache PDFBox 3): A4 landscape; on the first page the title, the filter, when
 * and by whom it was made, the number of incidents, the export id, the signing key and how to
 * verify; then a table of the incidents with the evidence essentials, its header repeated on every
 * page; on every page a footer with the export id and "page i of n".
 *
 * <p>Text is set in Liberation Sans (SIL Open Font License, shipped inside PDFBox's jar), embedded
 * as a subset, so that titles and names in Latin, Greek or Cyrillic scripts print as they are; a
 * character the font has no glyph for prints as {@code ?}. The headings use the standard
 * Helvetica Bold. The document is built with PDFBox's scratch space in a temporary file, not in
 * the heap, so its size follows {@code swarmwatch.exports.max-rows}, not the memory.
 */
final class PdfIncidentReport implements IncidentWriter {
    private static final String FONT_RESOURCE = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final PDRectangle PAGE = new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
    private static final float MARGIN = 36;
    private static final float FOOTER = 28;
    private static final float CELL_SIZE = 7;
    private static final float LEADING = 8.6f;
    private static final float PAD = 3;
    private static final int MAX_CELL_LINES = 6;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final float[] INK = {0.13f, 0.16f, 0.20f};
    private static final float[] MUTED = {0.38f, 0.42f, 0.47f};
    private static final float[] HEAD_FILL = {0.16f, 0.24f, 0.35f};
    private static final float[] STRIPE = {0.95f, 0.96f, 0.97f};
    private static final float[] RULE = {0.80f, 0.83f, 0.86f};

    private record Column(String label, float width, Function<Map<String, Object>, String> cell) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("Last seen (UTC)", 58, i -> time(IncidentFields.text(i, "last_seen"))),
            new Column("First seen (UTC)", 58, i -> time(IncidentFields.text(i, "first_seen"))),
            new Column("Subscriber", 84, i -> IncidentFields.text(i, "subscriber")),
            new Column("Severity / role", 58, i -> IncidentFields.text(i, "severity") + "\n" + IncidentFields.text(i, "role")),
            new Column("Conf.", 28, i -> IncidentFields.text(i, "confidence")),
            new Column("Title", 86, i -> IncidentFields.text(i, "title")),
            new Column("Rights holder / list", 78, i -> IncidentFields.text(i, "rights_holder") + "\n" + IncidentFields.text(i, "list_id")),
            new Column("Content hash", 84, i -> IncidentFields.text(i, "hash") + "\n(" + IncidentFields.text(i, "hash_kind") + ")"),
            new Column("Bytes up / down", 56, i -> bytes(i, "bytes_uploaded") + " up\n" + bytes(i, "bytes_downloaded") + " down"),
            new Column("Evidence", 108, PdfIncidentReport::evidence),
            new Column("Incident id", 72, i -> IncidentFields.text(i, "id")));

    private final OutputStream out;
    private final ExportHeader header;
    private final PDDocument doc;
    private final PDFont text;
    private final PDFont bold;
    private final BitSet printable = new BitSet();
    private final BitSet checked = new BitSet();
    private PDPageContentStream page;
    private float y;
    private long rows;

    PdfIncidentReport(OutputStream out, ExportHeader header) {
        this.out = out;
        this.header = header;
        this.doc = new PDDocument(IOUtils.createTempFileOnlyStreamCache());
        try (InputStream font = PDDocument.class.getResourceAsStream(FONT_RESOURCE)) {
            if (font == null) {
                throw new IllegalStateException("PDFBox's " + FONT_RESOURCE + " is missing from the class path");
            }
            this.text = PDType0Font.load(doc, font, true);
        } catch (IOException e) {
            closeQuietly();
            throw new UncheckedIOException(e);
        }
        this.bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    }

    @Override
    public void begin(long incidents) throws IOException {
        PDDocumentInformation info = doc.getDocumentInformation();
        info.setTitle("Swarmwatch incident export " + header.id());
        info.setAuthor(printableText(header.user()));
        info.setCreator("Swarmwatch dashboard");
        info.setProducer("Swarmwatch dashboard (Apache PDFBox)");
        Calendar created = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.ROOT);
        created.setTimeInMillis(header.created().toEpochMilli());
        info.setCreationDate(created);

        newPage();
        write(bold, 18, MARGIN, y - 18, INK, "Swarmwatch incident export");
        y -= 30;
        write(text, 8.5f, MARGIN, y, MUTED, "Confidential: incident evidence for compliance review. Subscribers appear as pseudonyms only.");
        y -= 18;
        String by = header.user() + " (" + String.join(", ", header.roles()) + ")";
        String[][] facts = {
            {"Filter", header.filterText()},
            {"Generated", TIME.format(header.created()) + " UTC by " + by},
            {"Incidents", String.format(Locale.ROOT, "%,d", incidents)},
            {"Export id", header.id()},
            {"Signed with", "Ed25519 key " + header.keyFingerprint()},
            {"Verify", "detached signature " + header.fileName() + ".sig: swarmwatch verify " + header.fileName() + " "
                    + header.fileName() + ".sig --key PUBLIC.pem"},
        };
        for (String[] f : facts) {
            write(bold, 9, MARGIN, y, INK, f[0]);
            List<String> lines = wrap(f[1], text, 9, PAGE.getWidth() - 2 * MARGIN - 80, 3);
            for (String l : lines) {
                write(text, 9, MARGIN + 80, y, INK, l);
                y -= 12;
            }
        }
        y -= 4;
        rule(y);
        y -= 12;
        if (incidents == 0) {
            write(text, 10, MARGIN, y - 10, INK, "No incidents match this filter.");
            y -= 20;
        } else {
            tableHeader();
        }
    }

    @Override
    public void incident(Map<String, Object> incident) throws IOException {
        List<List<String>> cells = new ArrayList<>(COLUMNS.size());
        int lines = 1;
        for (Column c : COLUMNS) {
            List<String> l = wrap(c.cell().apply(incident), text, CELL_SIZE, c.width() - 2 * PAD, MAX_CELL_LINES);
            cells.add(l);
            lines = Math.max(lines, l.size());
        }
        float height = lines * LEADING + 2 * PAD;
        if (y - height < MARGIN + FOOTER) {
            newPage();
            write(bold, 9, MARGIN, y - 9, MUTED, "Swarmwatch incident export " + header.id() + " (continued)");
            y -= 20;
            tableHeader();
        }
        if (rows % 2 == 1) {
            fill(STRIPE, MARGIN, y - height, PAGE.getWidth() - 2 * MARGIN, height);
        }
        float x = MARGIN;
        for (int c = 0; c < COLUMNS.size(); c++) {
            float ly = y - PAD - CELL_SIZE;
            for (String l : cells.get(c)) {
                write(text, CELL_SIZE, x + PAD, ly, INK, l);
                ly -= LEADING;
            }
            x += COLUMNS.get(c).width();
        }
        y -= height;
        rows++;
    }

    @Override
    public void finish() throws IOException {
        if (rows > 0) {
            rule(y);
        }
        page.close();
        page = null;
        int n = doc.getNumberOfPages();
        for (int i = 0; i < n; i++) {
            try (PDPageContentStream s = new PDPageContentStream(doc, doc.getPage(i), PDPageContentStream.AppendMode.APPEND, true, true)) {
                PDPageContentStream previous = page;
                page = s;
                float fy = MARGIN - 4;
                rule(MARGIN + 8);
                write(text, 7.5f, MARGIN, fy, MUTED, "Swarmwatch incident export " + header.id() + "  -  generated "
                        + TIME.format(header.created()) + " UTC by " + header.user() + "  -  signed, see " + header.fileName() + ".sig");
                String number = "Page " + (i + 1) + " of " + n;
                float w = text.getStringWidth(number) / 1000 * 7.5f;
                write(text, 7.5f, PAGE.getWidth() - MARGIN - w, fy, MUTED, number);
                page = previous;
            }
        }
        doc.save(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // the caller closes the stream
            }
        });
        doc.close();
    }

    @Override
    public void close() throws IOException {
        doc.close(); // a second close does nothing
    }

    private void newPage() throws IOException {
        if (page != null) {
            page.close();
        }
        PDPage p = new PDPage(PAGE);
        doc.addPage(p);
        page = new PDPageContentStream(doc, p);
        y = PAGE.getHeight() - MARGIN;
    }

    private void tableHeader() throws IOException {
        float height = 2 * LEADING + 2 * PAD;
        fill(HEAD_FILL, MARGIN, y - height, PAGE.getWidth() - 2 * MARGIN, height);
        float x = MARGIN;
        for (Column c : COLUMNS) {
            float ly = y - PAD - CELL_SIZE;
            for (String l : wrap(c.label(), bold, CELL_SIZE, c.width() - 2 * PAD, 2)) {
                write(bold, CELL_SIZE, x + PAD, ly, new float[] {1, 1, 1}, l);
                ly -= LEADING;
            }
            x += c.width();
        }
        y -= height;
    }

    private void write(PDFont font, float size, float x, float baseline, float[] color, String s) throws IOException {
        String t = font == text ? printableText(s) : s;
        if (t.isEmpty()) {
            return;
        }
        page.beginText();
        page.setFont(font, size);
        page.setNonStrokingColor(color[0], color[1], color[2]);
        page.newLineAtOffset(x, baseline);
        page.showText(t);
        page.endText();
    }

    private void fill(float[] color, float x, float y0, float w, float h) throws IOException {
        page.setNonStrokingColor(color[0], color[1], color[2]);
        page.addRect(x, y0, w, h);
        page.fill();
    }

    private void rule(float at) throws IOException {
        page.setStrokingColor(RULE[0], RULE[1], RULE[2]);
        page.setLineWidth(0.6f);
        page.moveTo(MARGIN, at);
        page.lineTo(PAGE.getWidth() - MARGIN, at);
        page.stroke();
    }

    /**
     * {@code s} broken into lines no wider than {@code width}: at its line breaks, then between
     * words, and inside a word too long for a line (hashes, pseudonyms); at most {@code max} lines,
     * the last ending in an ellipsis when cut.
     */
    private List<String> wrap(String s, PDFont font, float size, float width, int max) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String paragraph : s.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ")) {
                String candidate = line.length() == 0 ? word : line + " " + word;
                if (width(font, size, candidate) <= width) {
                    line.setLength(0);
                    line.append(candidate);
                    continue;
                }
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                String rest = word;
                while (width(font, size, rest) > width) {
                    int cut = rest.length() - 1;
                    while (cut > 1 && width(font, size, rest.substring(0, cut)) > width) {
                        cut--;
                    }
                    lines.add(rest.substring(0, cut));
                    rest = rest.substring(cut);
                }
                line.append(rest);
            }
            lines.add(line.toString());
        }
        if (lines.size() > max) {
            List<String> cut = new ArrayList<>(lines.subList(0, max));
            String last = cut.get(max - 1);
            while (!last.isEmpty() && width(font, size, last + "...") > width) {
                last = last.substring(0, last.length() - 1);
            }
            cut.set(max - 1, last + "...");
            return cut;
        }
        return lines;
    }

    private float width(PDFont font, float size, String s) throws IOException {
        return font.getStringWidth(font == text ? printableText(s) : s) / 1000 * size;
    }

    /** {@code s} with control characters as spaces and characters the font cannot show as {@code ?}. */
    private String printableText(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                b.append(' ');
            } else if (printable(cp)) {
                b.appendCodePoint(cp);
            } else {
                b.append('?');
            }
        });
        return b.toString();
    }

    private boolean printable(int cp) {
        if (!checked.get(cp)) {
            checked.set(cp);
            try {
                text.encode(new String(Character.toChars(cp)));
                printable.set(cp);
            } catch (IOException | RuntimeException e) {
                // no glyph in the font
            }
        }
        return printable.get(cp);
    }

    /** An ISO-8601 instant to the second, as the header shows times; what is not one, as it is. */
    private static String time(String iso) {
        try {
            return iso.isEmpty() ? "" : TIME.format(java.time.Instant.parse(iso));
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
    }

    private static String bytes(Map<String, Object> incident, String field) {
        Object v = IncidentFields.value(incident, field);
        if (!(v instanceof Number n)) {
            return "-";
        }
        double b = n.doubleValue();
        if (b < 1000) {
            return String.format(Locale.ROOT, "%.0f B", b);
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        int u = -1;
        while (b >= 1000 && u < units.length - 1) {
            b /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", b, units[u]);
    }

    private static String evidence(Map<String, Object> i) {
        StringBuilder b = new StringBuilder();
        if (Boolean.TRUE.equals(IncidentFields.value(i, "seeder"))) {
            b.append("seeder: ").append(IncidentFields.text(i, "seeder_evidence").replace(" ", ", ")).append('\n');
        }
        b.append(IncidentFields.text(i, "observations")).append(" observations: ").append(IncidentFields.text(i, "seen_in").replace(" ", ", "));
        String clients = IncidentFields.text(i, "clients");
        if (!clients.isEmpty()) {
            b.append('\n').append(clients);
        }
        return b.toString();
    }

    private void closeQuietly() {
        try {
            doc.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }
}
