package dev.goldfinch.app.library;

import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.bg.BulgarianAnalyzer;
import org.apache.lucene.analysis.bn.BengaliAnalyzer;
import org.apache.lucene.analysis.ca.CatalanAnalyzer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cz.CzechAnalyzer;
import org.apache.lucene.analysis.da.DanishAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.el.GreekAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.et.EstonianAnalyzer;
import org.apache.lucene.analysis.eu.BasqueAnalyzer;
import org.apache.lucene.analysis.fa.PersianAnalyzer;
import org.apache.lucene.analysis.fi.FinnishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.ga.IrishAnalyzer;
import org.apache.lucene.analysis.gl.GalicianAnalyzer;
import org.apache.lucene.analysis.hi.HindiAnalyzer;
import org.apache.lucene.analysis.hu.HungarianAnalyzer;
import org.apache.lucene.analysis.hy.ArmenianAnalyzer;
import org.apache.lucene.analysis.id.IndonesianAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.lt.LithuanianAnalyzer;
import org.apache.lucene.analysis.lv.LatvianAnalyzer;
import org.apache.lucene.analysis.ne.NepaliAnalyzer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.no.NorwegianAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.ro.RomanianAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.sr.SerbianAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.analysis.ta.TamilAnalyzer;
import org.apache.lucene.analysis.te.TeluguAnalyzer;
import org.apache.lucene.analysis.th.ThaiAnalyzer;
import org.apache.lucene.analysis.tr.TurkishAnalyzer;

/**
 * Lucene's analyzer for a document's language (an ISO 639-1 code, as ingest's LanguageGuesser gives it): its stop
 * words, its stemmer and its case folding, so that "rents" finds "rent" and "the" finds nothing. Chinese, Japanese and
 * Korean are cut into overlapping bigrams (lucene-analysis-common has no dictionary tokenizer for them); a language
 * Lucene has no analyzer for here (Polish, Ukrainian, Hebrew, Georgian…), or an unknown one, gets StandardAnalyzer:
 * words by the Unicode rules, lower-cased, nothing stemmed or dropped.
 */
final class LanguageAnalyzers {
    private LanguageAnalyzers() {
    }

    /** A new analyzer for {@code language} (null or unknown: StandardAnalyzer). */
    static Analyzer forLanguage(String language) {
        String code = language == null ? "" : language.strip().toLowerCase(Locale.ROOT);
        return switch (code) {
            case "en" -> new EnglishAnalyzer();
            case "de" -> new GermanAnalyzer();
            case "fr" -> new FrenchAnalyzer();
            case "es" -> new SpanishAnalyzer();
            case "it" -> new ItalianAnalyzer();
            case "pt" -> new PortugueseAnalyzer();
            case "nl" -> new DutchAnalyzer();
            case "sv" -> new SwedishAnalyzer();
            case "da" -> new DanishAnalyzer();
            case "no", "nb", "nn" -> new NorwegianAnalyzer();
            case "fi" -> new FinnishAnalyzer();
            case "cs" -> new CzechAnalyzer();
            case "tr" -> new TurkishAnalyzer();
            case "ro" -> new RomanianAnalyzer();
            case "hu" -> new HungarianAnalyzer();
            case "id" -> new IndonesianAnalyzer();
            case "ca" -> new CatalanAnalyzer();
            case "eu" -> new BasqueAnalyzer();
            case "gl" -> new GalicianAnalyzer();
            case "ga" -> new IrishAnalyzer();
            case "et" -> new EstonianAnalyzer();
            case "lt" -> new LithuanianAnalyzer();
            case "lv" -> new LatvianAnalyzer();
            case "ru" -> new RussianAnalyzer();
            case "sr" -> new SerbianAnalyzer();
            case "bg" -> new BulgarianAnalyzer();
            case "el" -> new GreekAnalyzer();
            case "ar" -> new ArabicAnalyzer();
            case "fa" -> new PersianAnalyzer();
            case "hi" -> new HindiAnalyzer();
            case "ne" -> new NepaliAnalyzer();
            case "bn" -> new BengaliAnalyzer();
            case "ta" -> new TamilAnalyzer();
            case "te" -> new TeluguAnalyzer();
            case "hy" -> new ArmenianAnalyzer();
            case "th" -> new ThaiAnalyzer();
            case "zh", "ja", "ko" -> new CJKAnalyzer();
            default -> new StandardAnalyzer();
        };
    }

}
