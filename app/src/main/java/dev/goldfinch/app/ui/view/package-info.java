/**
 * What the window shows: the library, conversation, document and welcome panes, the status bar, one message,
 * and the dialogs, one class each (settings, download, error, password, remove, about). Views call back to the
 * controllers and read through the service; none touches the store.
 */
package dev.goldfinch.app.ui.view;
