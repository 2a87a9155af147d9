package dev.goldfinch.engine.store;

/**
 * One document of a collection, as the collection holds it: its body is characters [textStart, textEnd) of the
 * collection's own text and tokens [tokenStart, tokenEnd) of its stored tokens, so the collection keeps what it read
 * even when the document leaves the library; what stands before a body (from the previous member's end) is the
 * separator that names it.
 *
 * @param ordinal    its place in the collection, from 1
 * @param documentId the library's document it was made from, or −1 when that document was removed from the library
 * @param title      the document's title when it was added (the separator names it)
 */
public record CollectionMember(int ordinal, long documentId, String title, int textStart, int textEnd, int tokenStart, int tokenEnd) {

    /** Whether the library still holds the document it came from. */
    public boolean inLibrary() {
        return documentId >= 0;
    }
}
