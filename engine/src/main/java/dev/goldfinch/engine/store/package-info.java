/**
 * The SQLite store, one file: its schema and migrations, and one owner per table: {@code DocumentStore} (documents,
 * models, the readings' records, rows and layer states, with their codec) and {@code Conversations} (conversations
 * and messages), on one connection. Every row carries a CRC32C checked on read; a read-only file or file system is
 * opened read-only; SQLite failures are told apart by their result codes. A reading handed over is a file of its own
 * ({@code ReadingFile}: the same rows and checksums, and a manifest), written by {@code ReadingExport} and copied in by
 * {@code ReadingImport} in one transaction.
 */
package dev.goldfinch.engine.store;
