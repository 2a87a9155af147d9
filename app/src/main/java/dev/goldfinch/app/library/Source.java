package dev.goldfinch.app.library;

/**
 * A passage of the document behind an answer: characters [start, end) of the text, the page it starts on, its
 * share of what found it (the answer's attention on the document, or the text match's score), and which of the two
 * found it ({@code kind}; a source stored before kinds existed is an attention source). In a collection,
 * {@code document} is the title of the member it lies in (and the page label says that member's page); null for a
 * single document.
 */
public record Source(int start, int end, double share, int page, String pageLabel, String text, Kind kind, String document) {

    /** How a source was found, said honestly: a hybrid's attention looked there, or the passage's words match. */
    public enum Kind {
        /** Where the attention layers of a hybrid (GoldFinch) went while it answered. */
        ATTENTION("where the model looked"),
        /**
         * For a model without attention layers (Finch, RWKV-7): the sentences that best match the question and the
         * answer in a full-text search (BM25). The model did not necessarily draw on them.
         */
        TEXT_MATCH("passages matching the answer");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** What these sources are, in a few words: "where the model looked", "passages matching the answer". */
        public String label() {
            return label;
        }
    }

    public Source {
        if (kind == null) kind = Kind.ATTENTION;
    }

    /** A source of a single document. */
    public Source(int start, int end, double share, int page, String pageLabel, String text, Kind kind) {
        this(start, end, share, page, pageLabel, text, kind, null);
    }

    /** An attention source (as every source was before text matches). */
    public Source(int start, int end, double share, int page, String pageLabel, String text) {
        this(start, end, share, page, pageLabel, text, Kind.ATTENTION);
    }

    /** The kind of a list of sources (they are all of one kind): its first's, attention for none. */
    public static Kind kindOf(java.util.List<Source> sources) {
        return sources == null || sources.isEmpty() ? Kind.ATTENTION : sources.getFirst().kind();
    }
}
