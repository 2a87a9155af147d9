package dev.goldfinch.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A small, fast language guess for documents whose metadata does not say: the writing system first (Cyrillic,
 * Greek, Arabic, CJK...), then, for Latin script, which language's most common function words the text is made of.
 * Reliable on the paragraphs of a real document, not on a few words; returns null when unsure. (Tika's OpenNLP
 * detector costs a 23 MB model and seconds of start-up, too much for this job.)
 */
public final class LanguageGuesser {
    private static final int SAMPLE = 20_000;
    private static final Map<String, Set<String>> STOPWORDS = new LinkedHashMap<>();
    /** Each stop word and the languages it belongs to. */
    private static final Map<String, List<String>> LANGUAGES_OF = new HashMap<>();

    static {
        add("en", "the and of to in is that it for was with as on are this be by not which have from at were or had");
        add("de", "der die und das ist nicht mit den von zu sich des auf für ein eine dem auch es wird sind im wurde");
        add("fr", "le la les et des est une un du que pour dans qui pas sur au avec ce sont par il elle aux été");
        add("es", "el la los las y de que en es por un una para con no se del al su como pero más fue son");
        add("it", "il la che di e un una per non sono del della con gli le si è anche nel alla questo è delle");
        add("pt", "o a os as e de que do da em um uma para com não se no na por mais são dos foi ao");
        add("nl", "de het een en van is dat niet op te zijn met voor die er ook aan wordt werd naar bij");
        add("sv", "och att det som en är av för med inte den till på har om jag de ett var från också");
        add("da", "og at det som en er af for med ikke den til på har de et jeg var fra også hvad efter");
        add("no", "og at det som en er av for med ikke den til på har de et jeg var fra også hva etter");
        add("fi", "ja on ei se että oli ovat mutta kun hän tai myös niin joka ole sen kuin");
        add("pl", "i w na nie się z do jest to że jak od po przez dla są oraz ale tak");
        add("cs", "a v se na je že to s z do jsou jak ale pro by od jako které také");
        add("tr", "ve bir bu da de için ile olarak çok daha olan gibi ne ama kadar sonra");
        add("ro", "și de la în a cu care pe un o nu este din pentru ce sunt mai fost");
        add("hu", "a az és hogy nem is egy meg van de ez csak már volt mint");
        add("id", "yang dan di ini itu dengan untuk tidak dari dalam akan pada adalah ke juga");
        STOPWORDS.forEach((lang, words) -> words.forEach(
                w -> LANGUAGES_OF.computeIfAbsent(w, k -> new ArrayList<>()).add(lang)));
    }

    private LanguageGuesser() {
    }

    private static void add(String lang, String words) {
        STOPWORDS.put(lang, Set.copyOf(java.util.Arrays.asList(words.split(" "))));
    }

    /** "en-US" → "en", "eng" → "en"; null for null, blank or unknown. */
    public static String isoCode(String tag) {
        if (tag == null || tag.isBlank()) {
            return null;
        }
        String primary = tag.strip().split("[-_;, ]")[0].toLowerCase(Locale.ROOT);
        if (primary.length() == 2 && primary.chars().allMatch(Character::isLetter)) {
            return primary;
        }
        if (primary.length() == 3) {
            for (String two : Locale.getISOLanguages()) {
                try {
                    if (Locale.of(two).getISO3Language().equals(primary)) {
                        return two;
                    }
                } catch (java.util.MissingResourceException e) {
                    // no three-letter code for this one
                }
            }
        }
        return null;
    }

    /** An ISO 639-1 code for the text's language, or null if unsure. */
    public static String guess(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.length() > SAMPLE ? text.substring(0, SAMPLE) : text;
        Map<Character.UnicodeScript, Integer> scripts = new HashMap<>();
        int letters = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetter(cp)) {
                letters++;
                scripts.merge(Character.UnicodeScript.of(cp), 1, Integer::sum);
            }
        }
        if (letters < 20) {
            return null;
        }
        Character.UnicodeScript main = scripts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        int kana = scripts.getOrDefault(Character.UnicodeScript.HIRAGANA, 0)
                + scripts.getOrDefault(Character.UnicodeScript.KATAKANA, 0);
        switch (main) {
            case LATIN:
                return latin(s);
            case CYRILLIC:
                if (count(s, "іїєґ") > letters / 200) {
                    return "uk";
                }
                if (count(s, "ђћџљњј") > letters / 200) {
                    return "sr";
                }
                if (count(s, "ыэ") == 0 && count(s, "ъ") > letters / 300) {
                    return "bg";
                }
                return "ru";
            case GREEK:
                return "el";
            case HEBREW:
                return "he";
            case ARABIC:
                return count(s, "پچژگ") > letters / 200 ? "fa" : "ar";
            case THAI:
                return "th";
            case DEVANAGARI:
                return "hi";
            case HANGUL:
                return "ko";
            case HIRAGANA, KATAKANA:
                return "ja";
            case HAN:
                return kana > letters / 20 ? "ja" : "zh";
            case ARMENIAN:
                return "hy";
            case GEORGIAN:
                return "ka";
            case BENGALI:
                return "bn";
            case TAMIL:
                return "ta";
            default:
                return null;
        }
    }

    private static int count(String s, String chars) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(Character.toLowerCase(s.charAt(i))) >= 0) {
                n++;
            }
        }
        return n;
    }

    private static String latin(String s) {
        Map<String, Integer> score = new HashMap<>();
        int words = 0;
        StringBuilder w = new StringBuilder();
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : ' ';
            if (Character.isLetter(c) || c == '\'') {
                w.append(Character.toLowerCase(c));
                continue;
            }
            if (w.isEmpty()) {
                continue;
            }
            words++;
            List<String> langs = LANGUAGES_OF.get(w.toString());
            if (langs != null) {
                for (String lang : langs) {
                    score.merge(lang, 1, Integer::sum);
                }
            }
            w.setLength(0);
        }
        if (words < 15) {
            return null;
        }
        String best = null;
        int first = 0;
        int second = 0;
        for (Map.Entry<String, Integer> e : score.entrySet()) {
            if (e.getValue() > first) {
                second = first;
                first = e.getValue();
                best = e.getKey();
            } else if (e.getValue() > second) {
                second = e.getValue();
            }
        }
        if (best == null || first < 0.1 * words || first < 1.15 * second) {
            return null;
        }
        return best;
    }
}
