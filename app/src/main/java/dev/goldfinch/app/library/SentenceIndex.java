package dev.goldfinch.app.library;

import dev.goldfinch.engine.answer.SourceFinder;
import dev.goldfinch.engine.answer.SourceSpan;
import dev.goldfinch.ingest.LanguageGuesser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * A document's sentences in a full-text index (Apache Lucene, in memory), searched with BM25: where the sources of
 * an answer come from when the model has no attention to cite. The sentences are cut as attention sources are
 * ({@link SourceFinder#sentences}), so both kinds of passage look alike and highlight the same way; words are
 * analysed for the document's language ({@link LanguageAnalyzers}). The index is built on the first search (the
 * sentences of a long book take a second or so) and kept for as long as the opened document is.
 */
public final class SentenceIndex {
    private static final String TEXT = "text", SENTENCE = "sentence";
    /** Lucene refuses a query of more than 1024 clauses; a long answer keeps its first this many distinct words. */
    static final int MAX_TERMS = 512;

    private final String text;
    private final String language;
    private volatile Built built;

    private record Built(String language, Analyzer analyzer, IndexSearcher searcher, List<int[]> sentences, long bytes) {
    }

    /**
     * @param text     the document's stored text (the offsets of what is found are in it, where the page map is)
     * @param language the document's ISO 639-1 code from ingest; null when not known, then it is guessed from the text
     */
    public SentenceIndex(String text, String language) {
        this.text = text;
        this.language = language;
    }

    /**
     * The sentences that best match {@code query} (BM25 over the words they share with it), best first, at most
     * {@code max}; each with its share of the score of every sentence that matched. None when no sentence shares a
     * word with the query once stop words are dropped (an empty query, a query of stop words).
     */
    public List<SourceSpan> search(String query, int max) {
        Built b = built();
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        Set<String> terms = terms(b.analyzer(), query == null ? "" : query);
        if (terms.isEmpty() || max <= 0) return List.of();
        for (String t : terms) q.add(new TermQuery(new Term(TEXT, t)), BooleanClause.Occur.SHOULD);
        try {
            TopDocs hits = b.searcher().search(q.build(), b.sentences().size());
            double total = 0;
            for (ScoreDoc d : hits.scoreDocs) total += d.score;
            List<SourceSpan> out = new ArrayList<>();
            for (ScoreDoc d : hits.scoreDocs) {
                if (out.size() == max || total <= 0) break;
                int i = b.searcher().storedFields().document(d.doc).getField(SENTENCE).numericValue().intValue();
                int[] s = b.sentences().get(i);
                out.add(new SourceSpan(s[0], s[1], d.score / total, text.substring(s[0], s[1]).strip()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the document's sentences", e); // in memory: not expected
        }
    }

    /** The language the index analyses its words for (the document's, or the one guessed), null for none: StandardAnalyzer. */
    public String language() {
        return built().language();
    }

    /** Bytes the index holds in memory (0 before its first search). */
    public long bytes() {
        Built b = built;
        return b == null ? 0 : b.bytes();
    }

    private Built built() {
        Built b = built;
        if (b != null) return b;
        synchronized (this) {
            if (built == null) built = build();
            return built;
        }
    }

    private Built build() {
        String lang = language != null ? language : LanguageGuesser.guess(text);
        Analyzer analyzer = LanguageAnalyzers.forLanguage(lang);
        List<int[]> sentences = SourceFinder.sentences(text);
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriterConfig config = new IndexWriterConfig(analyzer).setSimilarity(new BM25Similarity());
        try (IndexWriter writer = new IndexWriter(dir, config)) {
            for (int i = 0; i < sentences.size(); i++) {
                int[] s = sentences.get(i);
                Document d = new Document();
                d.add(new TextField(TEXT, text.substring(s[0], s[1]), Field.Store.NO));
                d.add(new StoredField(SENTENCE, i)); // which sentence: merges may reorder Lucene's own document numbers
                writer.addDocument(d);
            }
            writer.forceMerge(1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index the document's sentences", e);
        }
        try {
            IndexSearcher searcher = new IndexSearcher(DirectoryReader.open(dir));
            searcher.setSimilarity(new BM25Similarity());
            long bytes = 24L * sentences.size();
            for (String f : dir.listAll()) bytes += dir.fileLength(f);
            return new Built(lang, analyzer, searcher, sentences, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the document's sentence index", e);
        }
    }

    /** The query's distinct terms as the index has its words (stemmed, folded, stop words gone), in order, at most MAX_TERMS. */
    private static Set<String> terms(Analyzer analyzer, String query) {
        Set<String> out = new LinkedHashSet<>();
        try (TokenStream ts = analyzer.tokenStream(TEXT, query)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken() && out.size() < MAX_TERMS) out.add(term.toString());
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot analyse the query", e); // a String reader: not expected
        }
        return out;
    }
}
