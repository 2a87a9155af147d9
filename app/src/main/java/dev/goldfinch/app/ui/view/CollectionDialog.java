package dev.goldfinch.app.ui.view;

import dev.goldfinch.engine.store.CollectionMember;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * A collection's documents in their order, to move up or down or take out; OK gives the new order as the members'
 * present places (a member left out is taken out). Nothing changes until the person confirms what it costs.
 */
public final class CollectionDialog {
    private CollectionDialog() {
    }

    /** The members' places (from 1) in their new order; empty when cancelled or unchanged. */
    public static Optional<List<Integer>> arrange(Window owner, String collection, List<CollectionMember> members) {
        Dialog<List<Integer>> d = new Dialog<>();
        d.initOwner(owner);
        d.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        d.setTitle("Documents of the collection");
        d.setHeaderText("“" + collection + "” reads these documents in this order.");
        ObservableList<CollectionMember> order = FXCollections.observableArrayList(members);
        ListView<CollectionMember> list = new ListView<>(order);
        list.setId("collection-members");
        list.setPrefSize(420, 220);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(CollectionMember m, boolean empty) {
                super.updateItem(m, empty);
                setText(empty || m == null ? null : m.title() + (m.inLibrary() ? "" : " (removed from the library; kept here)"));
            }
        });
        Button up = new Button("Move up"), down = new Button("Move down"), remove = new Button("Take out");
        up.setId("member-up");
        down.setId("member-down");
        remove.setId("member-remove");
        up.setOnAction(e -> move(list, -1));
        down.setOnAction(e -> move(list, 1));
        remove.setOnAction(e -> {
            int i = list.getSelectionModel().getSelectedIndex();
            if (i >= 0) order.remove(i);
        });
        up.disableProperty().bind(list.getSelectionModel().selectedIndexProperty().lessThan(1));
        down.disableProperty().bind(list.getSelectionModel().selectedIndexProperty().lessThan(0)
                .or(list.getSelectionModel().selectedIndexProperty().greaterThanOrEqualTo(javafx.beans.binding.Bindings.size(order).subtract(1))));
        remove.disableProperty().bind(list.getSelectionModel().selectedIndexProperty().lessThan(0));
        HBox buttons = new HBox(8, up, down, remove);
        VBox box = new VBox(8, list, buttons);
        box.setPadding(new Insets(8));
        d.getDialogPane().setContent(box);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        d.setResultConverter(b -> {
            if (b != ButtonType.OK) return null;
            List<Integer> ordinals = new ArrayList<>();
            for (CollectionMember m : order) ordinals.add(m.ordinal());
            return ordinals;
        });
        List<Integer> unchanged = members.stream().map(CollectionMember::ordinal).toList();
        return d.showAndWait().filter(o -> !o.equals(unchanged));
    }

    private static void move(ListView<CollectionMember> list, int by) {
        int i = list.getSelectionModel().getSelectedIndex(), j = i + by;
        ObservableList<CollectionMember> items = list.getItems();
        if (i < 0 || j < 0 || j >= items.size()) return;
        CollectionMember m = items.remove(i);
        items.add(j, m);
        list.getSelectionModel().select(j);
    }
}
