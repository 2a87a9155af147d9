/**
 * The RWKV World tokenizer: the vocabulary file parsed and checked, greedy longest-match encoding over the UTF-8
 * bytes as the reference trie tokenizer does it, and decoding back to the tokens' bytes.
 */
package dev.goldfinch.engine.tokenizer;
