package dev.ordersaga.deploy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The entries of a tar archive (ustar, with the PAX headers Jib writes), read whole into memory: an image tarball and
 * each of its layers. The JDK reads no tar, and a tar library on the test class path would take part in the version
 * mediation of the application's own dependencies; this reads only what an image tarball holds.
 */
public final class TarArchive {

    private static final int BLOCK = 512;

    /** One entry: its path (without a leading "./" or "/"), type, mode, owner, and content (files only). */
    public record Entry(String path, char type, int mode, int uid, int gid, byte[] content) {

        public boolean isFile() {
            return type == '0' || type == '\0';
        }

        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private final List<Entry> entries;

    private TarArchive(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Reads a tar, gzip-compressed or not (told apart by gzip's magic bytes). */
    public static TarArchive read(byte[] bytes) {
        boolean gzip = bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
        try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(bytes))
                : new ByteArrayInputStream(bytes)) {
            return new TarArchive(entries(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Entry> entries() {
        return entries;
    }

    public Optional<Entry> entry(String path) {
        String wanted = normalize(path);
        return entries.stream().filter(e -> e.path().equals(wanted)).findFirst();
    }

    private static List<Entry> entries(InputStream in) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Map<String, String> pax = Map.of();
        byte[] header = new byte[BLOCK];
        while (readBlock(in, header)) {
            if (isZero(header)) {
                break; // the end-of-archive marker
            }
            char type = (char) header[156];
            long size = octal(header, 124, 12);
            byte[] content = in.readNBytes((int) size);
            if (content.length != size) {
                throw new EOFException("tar entry cut short");
            }
            in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
            if (type == 'x') {
                pax = paxRecords(content); // applies to the next entry only
                continue;
            }
            if (type == 'g') {
                continue; // global PAX records: nothing this reader needs
            }
            String name = pax.getOrDefault("path", prefixedName(header));
            entries.add(new Entry(normalize(name), type, (int) octal(header, 100, 8),
                    Integer.parseInt(pax.getOrDefault("uid", Long.toString(octal(header, 108, 8)))),
                    Integer.parseInt(pax.getOrDefault("gid", Long.toString(octal(header, 116, 8)))), content));
            pax = Map.of();
        }
        return entries;
    }

    private static String prefixedName(byte[] header) {
        String name = string(header, 0, 100);
        String prefix = string(header, 345, 155);
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** PAX records: "LENGTH KEY=VALUE\n" each. */
    private static Map<String, String> paxRecords(byte[] content) {
        Map<String, String> records = new LinkedHashMap<>();
        int at = 0;
        while (at < content.length) {
            int space = indexOf(content, (byte) ' ', at);
            int length = Integer.parseInt(new String(content, at, space - at, StandardCharsets.US_ASCII));
            String record = new String(content, space + 1, at + length - space - 2, StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            records.put(record.substring(0, equals), record.substring(equals + 1));
            at += length;
        }
        return records;
    }

    private static String normalize(String path) {
        String p = path;
        while (p.startsWith("./") || p.startsWith("/")) {
            p = p.substring(p.startsWith("./") ? 2 : 1);
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int read = in.readNBytes(block, 0, BLOCK);
        if (read == 0) {
            return false;
        }
        if (read != BLOCK) {
            throw new EOFException("tar header cut short");
        }
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static long octal(byte[] header, int offset, int length) {
        String digits = string(header, offset, length).trim();
        return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
    }

    private static String string(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        throw new IllegalArgumentException("malformed PAX record");
    }
}
