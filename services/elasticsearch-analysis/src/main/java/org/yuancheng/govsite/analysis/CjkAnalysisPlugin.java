package org.yuancheng.govsite.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.CharacterUtils;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.AnalyzerScope;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.lucene.analysis.miscellaneous.DisableGraphAttribute;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Analysis components for the local development / test Elasticsearch node.
 *
 * <p>The minimal Elasticsearch distribution used for local nodes ships without the
 * {@code analysis-common} module, so Chinese analysis ({@code cjk}, {@code cjk_bigram},
 * {@code cjk_width}) and the n-gram components used for autocomplete are missing. This plugin
 * exposes the corresponding Lucene classes (already on the server class path in
 * {@code lucene-analysis-common}) under the stock names and with the stock options, so index
 * settings written for a production cluster work unchanged against the local node.
 *
 * <p>Only names that the server itself does not register are provided: registering a name twice
 * stops the node from starting. Everything is implemented against the Elasticsearch interfaces
 * rather than the abstract base classes, whose constructors change between releases.
 */
public final class CjkAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> analyzers = new TreeMap<>();
        analyzers.put("cjk", CjkAnalyzerProvider::new);
        return analyzers;
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> filters = new TreeMap<>();
        filters.put("cjk_bigram", CjkBigramFilterFactory::new);
        filters.put("cjk_width", (indexSettings, env, name, settings) -> new NormalizingFilter(name, CJKWidthFilter::new));
        filters.put("edge_ngram", EdgeNGramFilterFactory::new);
        filters.put("ngram", NGramFilterFactory::new);
        filters.put("asciifolding", AsciiFoldingFilterFactory::new);
        filters.put("trim", (indexSettings, env, name, settings) -> new NormalizingFilter(name, TrimFilter::new));
        filters.put("unique", UniqueFilterFactory::new);
        filters.put("lowercase", LowerCaseFilterFactory::new);
        return filters;
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> tokenizers = new TreeMap<>();
        tokenizers.put("keyword", (indexSettings, env, name, settings) -> {
            int bufferSize = settings.getAsInt("buffer_size", 256);
            return TokenizerFactory.newFactory(name, () -> new KeywordTokenizer(bufferSize));
        });
        tokenizers.put("whitespace", (indexSettings, env, name, settings) -> {
            int maxTokenLength = settings.getAsInt("max_token_length", StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH);
            return TokenizerFactory.newFactory(
                name,
                () -> new WhitespaceTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, maxTokenLength)
            );
        });
        tokenizers.put("ngram", NGramTokenizerFactory::new);
        tokenizers.put("edge_ngram", EdgeNGramTokenizerFactory::new);
        // Deprecated in Elasticsearch but still registered there, and used by the default index
        // settings of Wagtail's Elasticsearch backends ("tokenizer": "lowercase").
        tokenizers.put("lowercase", (indexSettings, env, name, settings) -> TokenizerFactory.newFactory(name, LowerCaseLetterTokenizer::new));
        return tokenizers;
    }

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> charFilters = new TreeMap<>();
        charFilters.put("html_strip", HtmlStripCharFilterFactory::new);
        return charFilters;
    }

    // ------------------------------------------------------------------------------------------
    // Shared helpers
    // ------------------------------------------------------------------------------------------

    /** A token filter that wraps one Lucene filter and may also be used in normalizers. */
    private interface StreamWrapper {
        TokenStream wrap(TokenStream in);
    }

    private static final class NormalizingFilter implements NormalizingTokenFilterFactory {
        private final String name;
        private final StreamWrapper wrapper;

        NormalizingFilter(String name, StreamWrapper wrapper) {
            this.name = name;
            this.wrapper = wrapper;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return wrapper.wrap(tokenStream);
        }
    }

    private static IllegalArgumentException cannotParseSynonyms(String name) {
        return new IllegalArgumentException("Token filter [" + name + "] cannot be used to parse synonyms");
    }

    /** Same limit and message as stock Elasticsearch ({@code index.max_ngram_diff}, default 1). */
    private static void checkNgramDiff(IndexSettings indexSettings, int minGram, int maxGram, String what) {
        int maxAllowed = indexSettings.getMaxNgramDiff();
        int diff = maxGram - minGram;
        if (diff > maxAllowed) {
            throw new IllegalArgumentException(
                "The difference between max_gram and min_gram in " + what + " must be less than or equal to: ["
                    + maxAllowed + "] but was [" + diff + "]. This limit can be set by changing the ["
                    + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey() + "] index level setting."
            );
        }
    }

    // ------------------------------------------------------------------------------------------
    // Analyzer
    // ------------------------------------------------------------------------------------------

    /** {@code cjk}: Lucene's CJKAnalyzer (width folding, lower-casing, CJK bigrams, stop words). */
    static final class CjkAnalyzerProvider implements AnalyzerProvider<CJKAnalyzer> {
        private final String name;
        private final CJKAnalyzer analyzer;

        CjkAnalyzerProvider(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            this.name = name;
            CharArraySet stopWords = Analysis.parseStopWords(env, settings, CJKAnalyzer.getDefaultStopSet());
            this.analyzer = new CJKAnalyzer(stopWords);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public AnalyzerScope scope() {
            return AnalyzerScope.INDEX;
        }

        @Override
        public CJKAnalyzer get() {
            return analyzer;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Token filters
    // ------------------------------------------------------------------------------------------

    /** {@code cjk_bigram}: options {@code ignored_scripts} (han, hiragana, katakana, hangul) and {@code output_unigrams}. */
    static final class CjkBigramFilterFactory implements TokenFilterFactory {
        private final String name;
        private final int flags;
        private final boolean outputUnigrams;

        CjkBigramFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            this.name = name;
            this.outputUnigrams = settings.getAsBoolean("output_unigrams", false);
            Set<String> scripts = new HashSet<>(List.of("han", "hiragana", "katakana", "hangul"));
            scripts.removeAll(settings.getAsList("ignored_scripts"));
            int scriptFlags = 0;
            for (String script : scripts) {
                switch (script) {
                    case "han" -> scriptFlags |= CJKBigramFilter.HAN;
                    case "hiragana" -> scriptFlags |= CJKBigramFilter.HIRAGANA;
                    case "katakana" -> scriptFlags |= CJKBigramFilter.KATAKANA;
                    case "hangul" -> scriptFlags |= CJKBigramFilter.HANGUL;
                    default -> {
                    }
                }
            }
            this.flags = scriptFlags;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            CJKBigramFilter filter = new CJKBigramFilter(tokenStream, flags, outputUnigrams);
            if (outputUnigrams) {
                // Unigrams and bigrams overlap; graph-aware query building would explode, so turn it
                // off exactly like stock Elasticsearch does.
                filter.addAttribute(DisableGraphAttribute.class);
            }
            return filter;
        }

        @Override
        public TokenFilterFactory getSynonymFilter() {
            if (outputUnigrams) {
                throw cannotParseSynonyms(name);
            }
            return this;
        }
    }

    /** {@code edge_ngram} token filter: {@code min_gram} (1), {@code max_gram} (2), {@code preserve_original}, {@code side}. */
    static final class EdgeNGramFilterFactory implements TokenFilterFactory {
        private final String name;
        private final int minGram;
        private final int maxGram;
        private final boolean preserveOriginal;
        private final boolean back;

        EdgeNGramFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            this.name = name;
            this.minGram = settings.getAsInt("min_gram", 1);
            this.maxGram = settings.getAsInt("max_gram", 2);
            this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
            String side = settings.get("side", "front");
            switch (side) {
                case "front" -> this.back = false;
                case "back" -> this.back = true;
                default -> throw new IllegalArgumentException("invalid side: " + side);
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            TokenStream result = tokenStream;
            // side=back: reversing before and after gives the same grams as the removed Lucene option.
            if (back) {
                result = new ReverseStringFilter(result);
            }
            result = new EdgeNGramTokenFilter(result, minGram, maxGram, preserveOriginal);
            if (back) {
                result = new ReverseStringFilter(result);
            }
            return result;
        }

        @Override
        public boolean breaksFastVectorHighlighter() {
            return true;
        }

        @Override
        public TokenFilterFactory getSynonymFilter() {
            throw cannotParseSynonyms(name);
        }
    }

    /** {@code ngram} token filter: {@code min_gram} (1), {@code max_gram} (2), {@code preserve_original}. */
    static final class NGramFilterFactory implements TokenFilterFactory {
        private final String name;
        private final int minGram;
        private final int maxGram;
        private final boolean preserveOriginal;

        NGramFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            this.name = name;
            this.minGram = settings.getAsInt("min_gram", 1);
            this.maxGram = settings.getAsInt("max_gram", 2);
            checkNgramDiff(indexSettings, minGram, maxGram, "NGram Tokenizer");
            this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new NGramTokenFilter(tokenStream, minGram, maxGram, preserveOriginal);
        }

        @Override
        public TokenFilterFactory getSynonymFilter() {
            throw cannotParseSynonyms(name);
        }
    }

    /** {@code asciifolding}: option {@code preserve_original}; usable in normalizers. */
    static final class AsciiFoldingFilterFactory implements NormalizingTokenFilterFactory {
        private final String name;
        private final boolean preserveOriginal;

        AsciiFoldingFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            this.name = name;
            this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new ASCIIFoldingFilter(tokenStream, preserveOriginal);
        }

        @Override
        public TokenStream normalize(TokenStream tokenStream) {
            // A normalizer must emit exactly one token.
            return new ASCIIFoldingFilter(tokenStream, false);
        }

        @Override
        public TokenFilterFactory getSynonymFilter() {
            if (preserveOriginal == false) {
                return this;
            }
            return new NormalizingFilter(name, in -> new ASCIIFoldingFilter(in, false));
        }
    }

    /** {@code lowercase} as a configurable filter type: option {@code language} (greek, irish, turkish). */
    static final class LowerCaseFilterFactory implements NormalizingTokenFilterFactory {
        private final String name;
        private final StreamWrapper wrapper;

        LowerCaseFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            this.name = name;
            String language = settings.get("language");
            if (language == null) {
                wrapper = LowerCaseFilter::new;
            } else if (language.equalsIgnoreCase("greek")) {
                wrapper = GreekLowerCaseFilter::new;
            } else if (language.equalsIgnoreCase("irish")) {
                wrapper = IrishLowerCaseFilter::new;
            } else if (language.equalsIgnoreCase("turkish")) {
                wrapper = TurkishLowerCaseFilter::new;
            } else {
                throw new IllegalArgumentException("language [" + language + "] not support for lower case");
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return wrapper.wrap(tokenStream);
        }
    }

    /** {@code unique}: option {@code only_on_same_position}. */
    static final class UniqueFilterFactory implements TokenFilterFactory {
        private final String name;
        private final boolean onlyOnSamePosition;

        UniqueFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            this.name = name;
            this.onlyOnSamePosition = settings.getAsBoolean("only_on_same_position", false);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new UniqueFilter(tokenStream, onlyOnSamePosition);
        }
    }

    /** Drops tokens whose text was already emitted (in the whole stream, or at the same position). */
    static final class UniqueFilter extends TokenFilter {
        private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
        private final PositionIncrementAttribute posIncAtt = addAttribute(PositionIncrementAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);
        private final boolean onlyOnSamePosition;

        UniqueFilter(TokenStream in, boolean onlyOnSamePosition) {
            super(in);
            this.onlyOnSamePosition = onlyOnSamePosition;
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                if (onlyOnSamePosition && posIncAtt.getPositionIncrement() > 0) {
                    seen.clear();
                }
                char[] buffer = termAtt.buffer();
                int length = termAtt.length();
                if (seen.contains(buffer, 0, length)) {
                    continue;
                }
                char[] copy = new char[length];
                System.arraycopy(buffer, 0, copy, 0, length);
                seen.add(copy);
                return true;
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            seen.clear();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Tokenizers
    // ------------------------------------------------------------------------------------------

    private static final Map<String, IntPredicate> CHAR_CLASSES = buildCharClasses();

    private static Map<String, IntPredicate> buildCharClasses() {
        Map<String, IntPredicate> classes = new TreeMap<>();
        classes.put("letter", Character::isLetter);
        classes.put("digit", Character::isDigit);
        classes.put("whitespace", Character::isWhitespace);
        classes.put("punctuation", c -> switch (Character.getType(c)) {
            case Character.START_PUNCTUATION, Character.END_PUNCTUATION, Character.OTHER_PUNCTUATION,
                Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                Character.FINAL_QUOTE_PUNCTUATION -> true;
            default -> false;
        });
        classes.put("symbol", c -> switch (Character.getType(c)) {
            case Character.CURRENCY_SYMBOL, Character.MATH_SYMBOL, Character.OTHER_SYMBOL, Character.MODIFIER_SYMBOL -> true;
            default -> false;
        });
        // Like Elasticsearch, also accept every java.lang.Character general category by its
        // lower-cased constant name (e.g. "uppercase_letter", "math_symbol").
        for (Field field : Character.class.getFields()) {
            int modifiers = field.getModifiers();
            if (field.getName().startsWith("DIRECTIONALITY") == false
                && Modifier.isStatic(modifiers)
                && field.getType() == byte.class) {
                try {
                    byte category = field.getByte(null);
                    classes.putIfAbsent(field.getName().toLowerCase(Locale.ROOT), c -> Character.getType(c) == category);
                } catch (IllegalAccessException e) {
                    // not a readable constant: skip it
                }
            }
        }
        return classes;
    }

    /** Parses {@code token_chars} (+ {@code custom_token_chars}); {@code null} means "keep all characters". */
    private static IntPredicate parseTokenChars(Settings settings) {
        List<String> names = settings.getAsList("token_chars");
        if (names == null || names.isEmpty()) {
            return null;
        }
        List<IntPredicate> matchers = new ArrayList<>();
        for (String raw : names) {
            String characterClass = raw.toLowerCase(Locale.ROOT).trim();
            if (characterClass.equals("custom")) {
                String custom = settings.get("custom_token_chars");
                if (custom == null) {
                    throw new IllegalArgumentException("Token type: 'custom' requires setting `custom_token_chars`");
                }
                Set<Integer> chars = new HashSet<>();
                custom.codePoints().forEach(chars::add);
                matchers.add(chars::contains);
                continue;
            }
            IntPredicate matcher = CHAR_CLASSES.get(characterClass);
            if (matcher == null) {
                throw new IllegalArgumentException(
                    "Unknown token type: '" + characterClass + "', must be one of " + CHAR_CLASSES.keySet() + " or custom"
                );
            }
            matchers.add(matcher);
        }
        return c -> {
            for (IntPredicate matcher : matchers) {
                if (matcher.test(c)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** {@code ngram} tokenizer: {@code min_gram} (1), {@code max_gram} (2), {@code token_chars}. */
    static final class NGramTokenizerFactory implements TokenizerFactory {
        private final String name;
        private final int minGram;
        private final int maxGram;
        private final IntPredicate tokenChars;

        NGramTokenizerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            this.name = name;
            this.minGram = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            this.maxGram = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
            checkNgramDiff(indexSettings, minGram, maxGram, "NGram Tokenizer");
            this.tokenChars = parseTokenChars(settings);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Tokenizer create() {
            if (tokenChars == null) {
                return new NGramTokenizer(minGram, maxGram);
            }
            IntPredicate matcher = tokenChars;
            return new NGramTokenizer(minGram, maxGram) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return matcher.test(chr);
                }
            };
        }
    }

    /** {@code edge_ngram} tokenizer: {@code min_gram} (1), {@code max_gram} (2), {@code token_chars}. */
    static final class EdgeNGramTokenizerFactory implements TokenizerFactory {
        private final String name;
        private final int minGram;
        private final int maxGram;
        private final IntPredicate tokenChars;

        EdgeNGramTokenizerFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            this.name = name;
            this.minGram = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            this.maxGram = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
            this.tokenChars = parseTokenChars(settings);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Tokenizer create() {
            if (tokenChars == null) {
                return new EdgeNGramTokenizer(minGram, maxGram);
            }
            IntPredicate matcher = tokenChars;
            return new EdgeNGramTokenizer(minGram, maxGram) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return matcher.test(chr);
                }
            };
        }
    }

    /**
     * {@code lowercase} tokenizer: splits on non-letters and lower-cases, in one pass.
     * (Lucene 9 removed its LowerCaseTokenizer; CharTokenizer cannot be extended to lower-case
     * because its incrementToken is final, hence this small stand-alone implementation.)
     */
    static final class LowerCaseLetterTokenizer extends Tokenizer {
        private static final int MAX_TOKEN_LENGTH = 255;
        private static final int IO_BUFFER_SIZE = 4096;

        private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
        private final OffsetAttribute offsetAtt = addAttribute(OffsetAttribute.class);
        private final CharacterUtils.CharacterBuffer ioBuffer = CharacterUtils.newCharacterBuffer(IO_BUFFER_SIZE);

        /** Offset of ioBuffer's first char in the input; read position in ioBuffer; chars in ioBuffer. */
        private int bufferStart;
        private int bufferIndex;
        private int dataLength;
        private int finalOffset;

        @Override
        public boolean incrementToken() throws IOException {
            clearAttributes();
            int length = 0;
            int start = -1;
            int end = -1;
            char[] term = termAtt.buffer();
            while (true) {
                if (bufferIndex >= dataLength) {
                    bufferStart += dataLength;
                    CharacterUtils.fill(ioBuffer, input);
                    if (ioBuffer.getLength() == 0) {
                        dataLength = 0;
                        if (length > 0) {
                            break;
                        }
                        finalOffset = correctOffset(bufferStart);
                        return false;
                    }
                    dataLength = ioBuffer.getLength();
                    bufferIndex = 0;
                }
                int codePoint = Character.codePointAt(ioBuffer.getBuffer(), bufferIndex, dataLength);
                int charCount = Character.charCount(codePoint);
                bufferIndex += charCount;
                if (Character.isLetter(codePoint)) {
                    if (length == 0) {
                        start = bufferStart + bufferIndex - charCount;
                        end = start;
                    } else if (length >= term.length - 1) {
                        term = termAtt.resizeBuffer(length + 2);
                    }
                    end += charCount;
                    length += Character.toChars(Character.toLowerCase(codePoint), term, length);
                    if (length >= MAX_TOKEN_LENGTH) {
                        break;
                    }
                } else if (length > 0) {
                    break;
                }
            }
            termAtt.setLength(length);
            finalOffset = correctOffset(end);
            offsetAtt.setOffset(correctOffset(start), finalOffset);
            return true;
        }

        @Override
        public void end() throws IOException {
            super.end();
            offsetAtt.setOffset(finalOffset, finalOffset);
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            bufferStart = 0;
            bufferIndex = 0;
            dataLength = 0;
            finalOffset = 0;
            ioBuffer.reset();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Char filters
    // ------------------------------------------------------------------------------------------

    /** {@code html_strip}: option {@code escaped_tags}. Rich-text page bodies are HTML. */
    static final class HtmlStripCharFilterFactory implements CharFilterFactory {
        private final String name;
        private final Set<String> escapedTags;

        HtmlStripCharFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
            this.name = name;
            List<String> tags = settings.getAsList("escaped_tags");
            this.escapedTags = tags.isEmpty() ? null : Set.copyOf(tags);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Reader create(Reader reader) {
            return new HTMLStripCharFilter(reader, escapedTags);
        }
    }
}
