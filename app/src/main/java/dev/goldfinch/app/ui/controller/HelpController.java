package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.ui.FileDialogs;
import dev.goldfinch.app.ui.LaunchOptions;
import dev.goldfinch.app.ui.Settings;
import dev.goldfinch.app.ui.view.FilesDialog;
import dev.goldfinch.app.ui.view.GettingStartedDialog;
import dev.goldfinch.app.ui.view.ShortcutsDialog;
import dev.goldfinch.app.ui.view.ShortcutsDialog.Shortcut;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;

/**
 * The Help menu: Keyboard shortcuts (read from the menus' own accelerators, so the list is what the window does,
 * and the keys the panes answer), Getting started, Where files are kept.
 */
public final class HelpController {
    private final WindowShell window;
    private final LaunchOptions options;
    private final MenuBar menus;
    private final List<Shortcut> paneKeys;
    private final ModelController models;
    private final Supplier<FileDialogs> dialogs;

    /** {@code paneKeys}: the keys handled by the panes rather than by a menu item (Enter in the question box…). */
    public HelpController(WindowShell window, LaunchOptions options, MenuBar menus, List<Shortcut> paneKeys, ModelController models,
                          Supplier<FileDialogs> dialogs) {
        this.window = window;
        this.options = options;
        this.menus = menus;
        this.paneKeys = List.copyOf(paneKeys);
        this.models = models;
        this.dialogs = dialogs;
    }

    /** Every accelerator of the menus, as "Menu" shortcuts, then the panes' keys. */
    public List<Shortcut> shortcuts() {
        List<Shortcut> all = new ArrayList<>();
        for (Menu m : menus.getMenus()) collect(m, all);
        all.addAll(paneKeys);
        return all;
    }

    private static void collect(Menu menu, List<Shortcut> into) {
        for (MenuItem item : menu.getItems()) {
            if (item instanceof Menu sub) collect(sub, into);
            else if (item.getAccelerator() != null) {
                into.add(new Shortcut("Menus", item.getAccelerator().getDisplayText(), plain(menu.getText()) + " → " + plain(item.getText())));
            }
        }
    }

    /** A menu label without its mnemonic mark ("_Add documents…" → "Add documents…"). */
    private static String plain(String label) {
        return label == null ? "" : label.replaceFirst("_", "");
    }

    public Alert showShortcuts() {
        return ShortcutsDialog.show(window.stage(), shortcuts());
    }

    public Alert showGettingStarted() {
        return GettingStartedDialog.show(window.stage(), models::download, models::choose);
    }

    /** The places of this run: the models folder and the settings as the settings say, the store in use, the log. */
    public List<FilesDialog.Place> places() {
        Settings s = window.settings();
        return List.of(
                new FilesDialog.Place("Models folder", s.modelsFolder().toAbsolutePath(), "downloaded models, the demo model and the World vocabulary"),
                new FilesDialog.Place("Library database", (window.service() != null ? window.service().storeFile() : options.storeFor(s)).toAbsolutePath(),
                        "documents, their readings and conversations (SQLite)"),
                new FilesDialog.Place("Settings", options.configDir().resolve(Settings.FILE_NAME).toAbsolutePath(), "the model in use, answer and reading preferences"),
                new FilesDialog.Place("Log", options.logFile().toAbsolutePath(), "what the app did and every error in full, for a bug report"));
    }

    public Alert showPlaces() {
        return FilesDialog.show(window.stage(), places(), folder -> dialogs.get().showFolder(folder));
    }
}
