package dev.goldfinch.app.library;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.goldfinch.engine.store.CollectionMember;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a collection holds, built from its documents in order: its text (each document's text after a separator line
 * that names it: "=== Document 2: The Lease ==="), its stored tokens (each piece tokenized on its own, so a document's
 * tokens never depend on what follows it: one added later leaves everything before it as it was), its members' spans
 * in both, and its metadata: a page map of every member's pages in turn, each labelled with the member's title and its
 * own page ("The Lease · p. 3"), and each member's own page map, so the collection can be built again without the
 * library's documents (one removed from the library stays in the collections that hold it).
 */
public record CollectionContent(String text, int[] tokens, List<CollectionMember> members, String metadata) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** What a collection's page map counts: each span is a page, section or slide of one of its documents. */
    static final String UNIT = "part";

    /** One document as it goes into a collection: its text, stored tokens and own page map. */
    public record Part(long documentId, String title, String text, int[] tokens, String unit, List<SourceDocument.Page> pages) {
    }

    /** A member's own page map, kept in the collection's metadata. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MemberPages(String unit, List<SourceDocument.Page> pages) {
    }

    /** The collection's metadata: the fields of {@link DocumentMeta} (title, unit, pages), and its members' own page maps. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Meta(String title, String unit, List<SourceDocument.Page> pages, List<MemberPages> members, boolean collection) {
        Meta {
            pages = pages == null ? List.of() : List.copyOf(pages);
            members = members == null ? List.of() : List.copyOf(members);
        }

        String toJson() {
            try {
                return MAPPER.writeValueAsString(this);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Meta parse(String json, String name) {
            try {
                Meta m = json == null ? null : MAPPER.readValue(json, Meta.class);
                if (m != null) return m;
            } catch (JsonProcessingException notOurs) {
                // an empty collection's, or damaged: no members' page maps to keep
            }
            return new Meta(name, UNIT, List.of(), List.of(), true);
        }
    }

    /** The metadata of a collection that holds nothing yet. */
    static String emptyMetadata(String name) {
        return new Meta(name, UNIT, List.of(), List.of(), true).toJson();
    }

    /**
     * The line before a document's text that names it. It holds no blank line (G1 keeps blank lines for the end of a
     * turn), and starts on a line of its own after the previous document.
     */
    static String separator(int ordinal, String title) {
        return (ordinal > 1 ? "\n" : "") + "=== Document " + ordinal + ": " + oneLine(title) + " ===\n";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }

    /** The collection {@code name} holding {@code parts} in this order. */
    static CollectionContent of(String name, List<Part> parts, WorldTokenizer tokenizer) {
        StringBuilder text = new StringBuilder();
        List<int[]> pieces = new ArrayList<>();
        List<CollectionMember> members = new ArrayList<>();
        List<SourceDocument.Page> pages = new ArrayList<>();
        List<MemberPages> own = new ArrayList<>();
        int tokens = 0;
        for (int k = 0; k < parts.size(); k++) {
            Part part = parts.get(k);
            int separatorStart = text.length();
            int[] separator = tokenizer.encode(separator(k + 1, part.title()));
            text.append(separator(k + 1, part.title()));
            int textStart = text.length(), tokenStart = tokens + separator.length;
            text.append(part.text());
            pieces.add(separator);
            pieces.add(part.tokens());
            tokens = tokenStart + part.tokens().length;
            members.add(new CollectionMember(k + 1, part.documentId(), oneLine(part.title()), textStart, text.length(), tokenStart, tokens));
            own.add(new MemberPages(part.unit(), part.pages()));
            // the separator belongs to the member's first page; the pages cover the text without a gap
            List<SourceDocument.Page> ofPart = part.pages().isEmpty()
                    ? List.of(new SourceDocument.Page(1, 0, part.text().length(), "1")) : part.pages();
            for (int i = 0; i < ofPart.size(); i++) {
                SourceDocument.Page p = ofPart.get(i);
                int start = i == 0 ? separatorStart : textStart + p.start();
                int end = i == ofPart.size() - 1 ? text.length() : textStart + p.end();
                pages.add(new SourceDocument.Page(pages.size() + 1, start, end, oneLine(part.title()) + " · " + Places.brief(part.unit(), p.page(), p.label())));
            }
        }
        int[] all = new int[tokens];
        int at = 0;
        for (int[] p : pieces) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return new CollectionContent(text.toString(), all, List.copyOf(members), new Meta(name, UNIT, pages, own, true).toJson());
    }

    /** The parts a stored collection was built from, out of its own text, tokens and metadata (the library's documents are not needed). */
    static List<Part> partsOf(String text, int[] tokens, String metadata, String name, List<CollectionMember> members) {
        Meta meta = Meta.parse(metadata, name);
        List<Part> parts = new ArrayList<>();
        for (int k = 0; k < members.size(); k++) {
            CollectionMember m = members.get(k);
            MemberPages own = k < meta.members().size() ? meta.members().get(k) : new MemberPages("page", List.of());
            parts.add(new Part(m.documentId(), m.title(), text.substring(m.textStart(), m.textEnd()),
                    java.util.Arrays.copyOfRange(tokens, m.tokenStart(), m.tokenEnd()), own.unit(), own.pages()));
        }
        return parts;
    }
}
