package dev.goldfinch.app.models;

import static dev.goldfinch.app.models.DownloadProgress.bytes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.goldfinch.app.models.DownloadException.Kind;
import dev.goldfinch.app.models.ModelCatalogue.Entry;
import dev.goldfinch.app.models.ModelCatalogue.Resolve;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which file a catalogue entry downloads. An entry without a {@link Resolve} rule downloads the catalogue's file.
 * One with a rule asks the repository's listing at download time (Hugging Face:
 * {@code GET HUB/api/models/OWNER/REPO/tree/main/FOLDER}, a JSON array of {@code {type, path, size, lfs: {oid, size}}})
 * and takes the newest file matching the rule, with the size and SHA-256 the listing gives: so a guessed name never
 * reaches a person as a 404, and a newer checkpoint of the same size is offered as soon as it is published. When the
 * listing cannot be read the catalogue's own file is taken, if it names one; when the listing has no match, that is
 * said in one line.
 */
final class FileResolver {

    /** Reads the listing at an address: the body of a 200, else a {@link DownloadException} with the one-line reason. */
    @FunctionalInterface
    interface Lister {
        String list(URI address) throws DownloadException;
    }

    /** One file of a listing: its path in the repository, size (0 if not given) and SHA-256 (LFS files only, else null). */
    record Listed(String path, long size, String sha256) {
        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private FileResolver() {
    }

    static ResolvedFile resolve(Entry e, URI hub, Lister lister) throws DownloadException {
        Resolve rule = e.resolve();
        if (rule == null || rule.repo() == null || rule.patterns().isEmpty()) {
            if (!e.hasKnownFile()) throw new IllegalArgumentException(e.id() + ": the catalogue names no file and no rule to find one");
            return known(e, "");
        }
        List<Listed> listing;
        try {
            listing = parse(lister.list(listingAddress(hub, rule)));
        } catch (DownloadException failure) {
            if (failure.kind() == Kind.PAUSED) throw failure;
            if (!e.hasKnownFile()) {
                throw new DownloadException(failure.kind(), "cannot look up the file of " + e.name() + " in " + rule.where()
                        + ": " + failure.getMessage(), failure);
            }
            return known(e, "The listing of " + rule.where() + " could not be read (" + failure.getMessage()
                    + "); downloading the catalogue's " + e.file() + ".");
        }
        Listed pick = choose(e, rule, listing);
        String source = "the listing of " + rule.where();
        if (pick.name().equals(e.file())) agree(e, pick, source);
        String found = "Found " + pick.name() + (pick.size() > 0 ? " (" + bytes(pick.size()) + ")" : "") + " in " + rule.where()
                + (!e.hasKnownFile() ? "." : pick.name().equals(e.file()) ? ", the catalogue's file." : ", newer than the catalogue's " + e.file() + ".");
        boolean same = pick.name().equals(e.file());
        return new ResolvedFile(e, pick.name(), fileAddress(hub, rule.repo(), pick.path()),
                pick.size() > 0 ? pick.size() : same ? e.downloadBytes() : 0,
                pick.sha256() != null ? pick.sha256() : same ? e.sha256() : null, source, found);
    }

    private static ResolvedFile known(Entry e, String found) {
        return new ResolvedFile(e, e.file(), URI.create(e.url()), e.downloadBytes(), e.sha256(), "the catalogue", found);
    }

    /** The catalogue and the listing describe the same file alike, or the file was replaced and the download is refused. */
    private static void agree(Entry e, Listed l, String source) throws DownloadException {
        boolean shaDiffers = e.sha256() != null && l.sha256() != null && !e.sha256().equalsIgnoreCase(l.sha256());
        boolean sizeDiffers = e.downloadBytes() > 0 && l.size() > 0 && e.downloadBytes() != l.size();
        if (shaDiffers || sizeDiffers) {
            throw new DownloadException(Kind.MISMATCH, source + " gives " + l.name() + " as " + (shaDiffers ? "SHA-256 " + l.sha256() : l.size() + " bytes")
                    + " where the catalogue says " + (shaDiffers ? e.sha256() : e.downloadBytes() + " bytes")
                    + ": the file on the server is not the one the catalogue knows; nothing was downloaded");
        }
    }

    /** The newest file of the first pattern that has a plausible match; else the one-line "nothing matches". */
    static Listed choose(Entry e, Resolve rule, List<Listed> listing) throws DownloadException {
        List<Listed> implausible = new ArrayList<>();
        for (String pattern : rule.patterns()) {
            Pattern p = glob(pattern);
            List<Listed> matching = listing.stream().filter(l -> p.matcher(l.name()).matches()).toList();
            Optional<Listed> best = matching.stream().filter(l -> plausible(e, l.size()))
                    .max(Comparator.comparing(Listed::name, NEWEST));
            if (best.isPresent()) return best.get();
            implausible.addAll(matching);
        }
        String patterns = String.join(" or ", rule.patterns());
        if (!implausible.isEmpty()) {
            Listed l = implausible.getFirst();
            throw new DownloadException(Kind.NOT_FOUND, "in " + rule.where() + ", " + l.name() + " (" + bytes(l.size()) + ") matches "
                    + patterns + " but is not the size of " + e.name() + " (about " + bytes(e.expectedBytes())
                    + "); nothing was downloaded, the catalogue needs an update");
        }
        String names = listing.stream().map(Listed::name).limit(6).collect(Collectors.joining(", "));
        throw new DownloadException(Kind.NOT_FOUND, "no file in " + rule.where() + " matches " + patterns + " ("
                + (listing.isEmpty() ? "the folder is empty or missing" : "it holds " + names + (listing.size() > 6 ? ", …" : ""))
                + "), so " + e.name() + " cannot be downloaded; the catalogue needs an update");
    }

    /** Within half to twice the catalogue's expectation: a file far off is not this model (optimizer state, another size). */
    private static boolean plausible(Entry e, long size) {
        long expected = e.expectedBytes();
        return expected <= 0 || size <= 0 || size >= expected / 2 && size <= expected * 2;
    }

    /** The files (not folders) of a listing; a body that is not one is a one-line error. */
    static List<Listed> parse(String json) throws DownloadException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException ex) {
            throw new DownloadException(Kind.HTTP_STATUS, "the listing is not JSON");
        }
        if (root == null || !root.isArray()) throw new DownloadException(Kind.HTTP_STATUS, "the listing is not a list of files");
        List<Listed> files = new ArrayList<>();
        for (JsonNode n : root) {
            if (!"file".equals(n.path("type").asText()) || !n.path("path").isTextual()) continue;
            JsonNode lfs = n.path("lfs");
            String oid = lfs.path("oid").asText("").toLowerCase(Locale.ROOT);
            long size = lfs.path("size").asLong(n.path("size").asLong(0));
            files.add(new Listed(n.path("path").asText(), size, oid.matches("[0-9a-f]{64}") ? oid : null));
        }
        return files;
    }

    static URI listingAddress(URI hub, Resolve rule) {
        return URI.create(base(hub) + "/api/models/" + rule.repo() + "/tree/main" + (rule.folder().isEmpty() ? "" : "/" + encodePath(rule.folder())));
    }

    static URI fileAddress(URI hub, String repo, String path) {
        return URI.create(base(hub) + "/" + repo + "/resolve/main/" + encodePath(path));
    }

    private static String base(URI hub) {
        String s = hub.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String encodePath(String path) {
        try {
            return new URI(null, null, path, null).getRawPath();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a path: " + path, e);
        }
    }

    /** A file-name pattern: {@code *} any run of characters, {@code ?} one; everything else as is. */
    static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) re.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                re.append(c == '*' ? "[^/]*" : "[^/]");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) re.append(Pattern.quote(literal.toString()));
        return Pattern.compile(re.toString());
    }

    private static final Pattern DATE = Pattern.compile("(?<![0-9])(20[0-9]{6})(?![0-9])");
    private static final Pattern TRAILING_NUMBER = Pattern.compile("-([0-9]+)\\.[A-Za-z0-9]+$");

    /**
     * Older to newer: by the date in the name (G1 and World checkpoints carry one, 20260831), else by the number at its
     * end (the trainer's rwkv-12.pth), then by name (g1j after g1d on the same day).
     */
    static final Comparator<String> NEWEST = Comparator.<String>comparingLong(n -> number(DATE.matcher(n), 1))
            .thenComparingLong(n -> number(TRAILING_NUMBER.matcher(n), 1))
            .thenComparing(Comparator.naturalOrder());

    private static long number(Matcher m, int group) {
        long last = -1;
        while (m.find()) last = Long.parseLong(m.group(group));
        return last;
    }
}
