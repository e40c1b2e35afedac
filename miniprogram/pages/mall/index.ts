// The points mall arrives in a later issue; for now the page only shows an empty state.
Component({});
