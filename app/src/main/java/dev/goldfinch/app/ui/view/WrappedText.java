package dev.goldfinch.app.ui.view;

import java.text.BreakIterator;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * A paragraph that wraps at the width it is given, whatever the script: one {@link Text} per word in a
 * {@link TextFlow}. (One Text, or a wrapping Label, holding a whole answer lays out wrongly in JavaFX 25 once the
 * text needs complex shaping, a combining mark being enough: a line broken inside such a Text runs on past the width
 * and its tail is drawn again at the start of the next line. So no Text with anything beyond Latin is broken: a Text
 * per Latin word, a Text per character of other words, except in the scripts whose letters are shaped together
 * (Arabic, Hebrew, the Indic scripts, Thai…), whose words stay whole between their line-break opportunities: a line
 * cut inside one of those, a word longer than the line, can still show the fault.) Streamed text is appended to the
 * last word, so an answer is not laid out again for every token.
 */
public final class WrappedText extends TextFlow {
    /** A word with the spaces (or line ends) after it, or the spaces a paragraph starts with. */
    private static final Pattern WORD = Pattern.compile("\\S+\\s*|\\s+");
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text", "");

    public WrappedText(String styleClass) {
        getStyleClass().addAll("wrapped-text", styleClass);
    }

    public String getText() {
        return text.get();
    }

    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    public void setText(String s) {
        getChildren().clear();
        text.set("");
        append(s);
    }

    /** Adds {@code chunk} at the end; the last word goes on when the chunk does not begin with a space. */
    public void append(String chunk) {
        if (chunk == null || chunk.isEmpty()) return;
        // the last word (with the spaces after it) is laid out again with the chunk, as if it had come whole
        String done = text.get();
        int start = done.length();
        while (start > 0 && Character.isWhitespace(done.charAt(start - 1))) start--;
        while (start > 0 && !Character.isWhitespace(done.charAt(start - 1))) start--;
        for (int removed = 0; removed < done.length() - start; ) removed += ((Text) getChildren().removeLast()).getText().length();
        Matcher m = WORD.matcher(done.substring(start) + chunk);
        while (m.find()) {
            String word = m.group();
            if (latinOnly(word)) {
                add(word);
            } else if (shaped(word)) {
                // letters that join or combine into one shape stay together, in pieces between the word's own line breaks
                split(word, BreakIterator.getLineInstance());
            } else {
                // JavaFX may end a line inside such a word where Java's line rules would not (after a lone mark, between
                // ideographs): a Text per character, which no line can cut
                split(word, BreakIterator.getCharacterInstance());
            }
        }
        text.set(text.get() + chunk);
    }

    private static boolean latinOnly(String word) {
        for (int i = 0; i < word.length(); i++) if (word.charAt(i) >= '\u0300') return false; // combining marks start here
        return true;
    }

    private static final Set<Character.UnicodeScript> SHAPED = EnumSet.of(Character.UnicodeScript.ARABIC,
            Character.UnicodeScript.HEBREW, Character.UnicodeScript.SYRIAC, Character.UnicodeScript.THAANA, Character.UnicodeScript.NKO,
            Character.UnicodeScript.MONGOLIAN, Character.UnicodeScript.DEVANAGARI, Character.UnicodeScript.BENGALI,
            Character.UnicodeScript.GURMUKHI, Character.UnicodeScript.GUJARATI, Character.UnicodeScript.ORIYA, Character.UnicodeScript.TAMIL,
            Character.UnicodeScript.TELUGU, Character.UnicodeScript.KANNADA, Character.UnicodeScript.MALAYALAM, Character.UnicodeScript.SINHALA,
            Character.UnicodeScript.THAI, Character.UnicodeScript.LAO, Character.UnicodeScript.TIBETAN, Character.UnicodeScript.MYANMAR,
            Character.UnicodeScript.KHMER);

    /** Whether the word has letters of a script whose letters are shaped together (Arabic, Hebrew, the Indic scripts, Thai…). */
    private static boolean shaped(String word) {
        return word.codePoints().anyMatch(c -> SHAPED.contains(Character.UnicodeScript.of(c)));
    }

    private void split(String word, BreakIterator at) {
        at.setText(word);
        for (int from = 0, to = at.next(); to != BreakIterator.DONE; from = to, to = at.next()) add(word.substring(from, to));
    }

    private void add(String piece) {
        Text t = new Text(piece);
        t.getStyleClass().add("wrapped-word");
        getChildren().add(t);
    }
}
