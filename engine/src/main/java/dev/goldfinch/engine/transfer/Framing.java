package dev.goldfinch.engine.transfer;

import dev.goldfinch.engine.answer.DocumentTurn;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import dev.goldfinch.engine.store.CollectionMember;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a reading framed its document, as an export records it: {@code stored} (the plain and chat layouts read the
 * document's stored tokens as they are: one reading serves both) or {@code g1} (the G1 layout reads the cleaned text
 * as a System turn). It decides which tokens a reading must be of, and which layouts can ask from it.
 */
public enum Framing {
    STORED, G1;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Framing> parse(String id) {
        for (Framing f : values()) if (f.id().equals(id)) return Optional.of(f);
        return Optional.empty();
    }

    public static Framing of(PromptLayout layout) {
        return layout.framesDocument() ? G1 : STORED;
    }

    /** The tokens a reading of this framing feeds the model of a document with this text and these stored tokens. */
    public int[] tokens(String text, int[] storedTokens, WorldTokenizer tokenizer) {
        return DocumentTurn.of(this == G1 ? PromptLayout.G1 : PromptLayout.PLAIN, text, storedTokens, tokenizer).tokens();
    }

    /** The turn a reading of this framing feeds the model of a collection with this text, these stored tokens and these members. */
    public DocumentTurn collectionTurn(String text, int[] storedTokens, List<CollectionMember> members, WorldTokenizer tokenizer) {
        return DocumentTurn.ofCollection(this == G1 ? PromptLayout.G1 : PromptLayout.PLAIN, text, storedTokens, members, tokenizer);
    }

    /** In words, for messages: "the plain and chat layouts", "the g1 layout". */
    public String layouts() {
        return this == G1 ? "the g1 layout" : "the plain and chat layouts";
    }
}
