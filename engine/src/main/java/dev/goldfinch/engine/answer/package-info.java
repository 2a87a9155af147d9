/**
 * Questions about a read document: the prompt layouts (plain, chat, RWKV-7 G1) and how each frames the document and
 * a question, the document turn as a model reads it (with where each token starts in the stored text), the
 * answering loop that streams an answer (and a G1 model's thinking apart from it), and the sources of an answer
 * found from where its attention went. No store and no UI here.
 */
package dev.goldfinch.engine.answer;
