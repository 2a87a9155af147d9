package dev.goldfinch.app.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.engine.answer.SourceFinder;
import dev.goldfinch.engine.answer.SourceSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The BM25 search of a document's sentences (Lucene, in memory) that gives a recurrent model's answers their sources. */
class SentenceIndexTest {
    private static final String LEASE = """
            The lease starts on the first of May and runs for two years. The tenant may keep one cat.
            The rent is due on the third day of each month, paid to the landlord's bank account.
            Repairs to the roof are the landlord's duty. The garden is kept by the tenant.

            Either party may end the lease with three months' notice, given in writing.""";

    /** The sentence holding the question's and the answer's words comes first, and is cut as attention sources are. */
    @Test
    void theSentenceHoldingTheAnswersWordsComesFirst() {
        SentenceIndex index = new SentenceIndex(LEASE, "en");
        List<SourceSpan> found = index.search("When is the rent due?\nOn the third day of each month.", 3);
        assertTrue(!found.isEmpty());
        SourceSpan best = found.getFirst();
        assertEquals("The rent is due on the third day of each month, paid to the landlord's bank account.", best.text());
        assertTrue(SourceFinder.sentences(LEASE).stream().anyMatch(s -> s[0] == best.start() && s[1] == best.end()),
                "a passage is one of the sentences an attention source would be");
        assertEquals(best.text(), LEASE.substring(best.start(), best.end()).strip(), "its offsets are the stored text's");
        for (int i = 1; i < found.size(); i++) assertTrue(found.get(i - 1).share() >= found.get(i).share(), "best first: " + found);

        SourceSpan notice = index.search("How can the lease be ended? With notice in writing.", 1).getFirst();
        assertEquals("Either party may end the lease with three months' notice, given in writing.", notice.text(), "a paragraph of its own");
    }

    /** Shares are of the score of every sentence that matched: all of them sum to one, the few shown to less. */
    @Test
    void sharesAreOfTheWholeMatch() {
        SentenceIndex index = new SentenceIndex(LEASE, "en");
        List<SourceSpan> all = index.search("lease tenant landlord", 100);
        assertEquals(6, all.size(), "the six sentences naming the lease, the tenant or the landlord: " + all);
        assertEquals(1.0, all.stream().mapToDouble(SourceSpan::share).sum(), 1e-9);
        List<SourceSpan> two = index.search("lease tenant landlord", 2);
        assertEquals(all.subList(0, 2), two, "the best two of the same search");
        assertTrue(two.stream().mapToDouble(SourceSpan::share).sum() < 1);
    }

    /** English words are stemmed and folded, punctuation ignored: "Goldfinches FEEDING" is found by "goldfinch feeds". */
    @Test
    void stemmingCaseAndPunctuation() {
        String text = "Sparrows nest under the eaves. The GOLDFINCHES were feeding on thistle-heads, teasels (and nettles)! Crows walk.";
        SentenceIndex english = new SentenceIndex(text, "en");
        List<SourceSpan> found = english.search("what does a goldfinch feed on? teasel", 3);
        assertEquals(1, found.size(), found.toString());
        assertEquals("The GOLDFINCHES were feeding on thistle-heads, teasels (and nettles)!", found.getFirst().text());
        assertEquals(1.0, found.getFirst().share(), 1e-9, "the only sentence that matched has the whole score");
        assertEquals(found, english.search("THISTLE... Heads?!", 3), "case and punctuation make no difference");

        // A language Lucene has no analyzer for here is read with StandardAnalyzer: folded, not stemmed.
        SentenceIndex plain = new SentenceIndex(text, "pl");
        assertEquals(1, plain.search("goldfinches", 3).size());
        assertTrue(plain.search("goldfinch", 3).isEmpty(), "no stemming without the language's analyzer");
    }

    /** An empty query, one of stop words only, a query no sentence shares a word with: none, no failure. */
    @Test
    void nothingToMatchGivesNone() {
        SentenceIndex index = new SentenceIndex(LEASE, "en");
        assertEquals(List.of(), index.search("", 3));
        assertEquals(List.of(), index.search("   \n ", 3));
        assertEquals(List.of(), index.search("Is it not that, or is it this? Then it was.", 3), "stop words only");
        assertEquals(List.of(), index.search("?!…", 3), "punctuation only");
        assertEquals(List.of(), index.search("zebra xylophone", 3));
        assertEquals(List.of(), index.search("rent", 0));

        SentenceIndex one = new SentenceIndex("Only this sentence is here", "en");
        assertEquals(List.of(new SourceSpan(0, 26, 1.0, "Only this sentence is here")), one.search("which sentence?", 3));
        assertEquals(List.of(), one.search("which paragraph?", 3));
        assertEquals(List.of(), new SentenceIndex("", "en").search("anything", 3), "an empty document");
    }

    /** Each language with an analyzer of its own stems its words; the language is guessed from the text when not known. */
    @Test
    void languagesStemTheirOwnWords() {
        String de = "Der Vertrag beginnt am ersten Mai. Die Mieten werden am dritten Tag jedes Monats fällig. Der Garten gehört dem Mieter.";
        assertEquals("Die Mieten werden am dritten Tag jedes Monats fällig.", new SentenceIndex(de, "de").search("Wann ist die Miete fällig?", 3).getFirst().text());
        SentenceIndex guessed = new SentenceIndex(de + " Die Katze darf im Haus bleiben, und der Hund ist nicht erlaubt.", null);
        assertEquals("de", guessed.language(), "guessed from the text when ingest did not know");
        assertEquals("Die Mieten werden am dritten Tag jedes Monats fällig.", guessed.search("Miete fällig", 1).getFirst().text());

        String fr = "Le bail commence le premier mai. Les chardonnerets mangent des graines de chardon. Le jardin est au locataire.";
        assertEquals("Les chardonnerets mangent des graines de chardon.", new SentenceIndex(fr, "fr").search("Que mange le chardonneret ?", 3).getFirst().text());

        String ru = "Договор начинается первого мая. Арендная плата вносится третьего числа каждого месяца. Сад принадлежит арендатору.";
        assertEquals("Арендная плата вносится третьего числа каждого месяца.", new SentenceIndex(ru, "ru").search("Когда вносится арендной платы?", 3).getFirst().text());

        String zh = "租约从五月一日开始。金翅雀吃蓟的种子。花园归租户所有。";
        List<SourceSpan> chinese = new SentenceIndex(zh, "zh").search("金翅雀吃什么种子？", 3);
        assertEquals("金翅雀吃蓟的种子。", chinese.getFirst().text(), "CJK text is matched by bigrams: " + chinese);
    }
}
