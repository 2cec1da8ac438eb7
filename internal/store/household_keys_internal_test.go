package store

import "testing"

// TestAssignKeys: keys may swap between rows, a collision keeps its old key,
// and when even the old key is now someone's new key it gets a marked key;
// in every case the final keys are unique per scope and nothing is merged.
func TestAssignKeys(t *testing.T) {
	rows := []*keyedRow{
		{id: 1, scope: "s", oldKey: "A", newKey: "B"},
		{id: 2, scope: "s", oldKey: "B", newKey: "A"}, // swaps with 1
		{id: 3, scope: "s", oldKey: "X", newKey: "X"}, // unchanged
		{id: 4, scope: "s", oldKey: "Y", newKey: "X"}, // collides with 3, keeps Y …
		{id: 5, scope: "s", oldKey: "Z", newKey: "Y"}, // … unless 5 now needs Y
		{id: 6, scope: "t", oldKey: "Y", newKey: "X"}, // another scope: no collision
		{id: 7, scope: "s", oldKey: "", newKey: ""},   // an override: no key
		{id: 8, scope: "s", oldKey: "W", newKey: "A"}, // collides with 2
	}
	collisions := assignKeys(rows)
	want := map[int64]string{1: "B", 2: "A", 3: "X", 4: "Y#collision-4", 5: "Y", 6: "X", 7: "", 8: "W"}
	seen := map[[2]string]int64{}
	for _, r := range rows {
		if r.final != want[r.id] {
			t.Errorf("row %d: final %q; want %q", r.id, r.final, want[r.id])
		}
		if r.final == "" {
			continue
		}
		if other, dup := seen[[2]string{r.scope, r.final}]; dup {
			t.Errorf("rows %d and %d share %q", other, r.id, r.final)
		}
		seen[[2]string{r.scope, r.final}] = r.id
	}
	if len(collisions) != 2 || collisions[0].id != 4 || collisions[0].collidesWith != 3 || collisions[1].id != 8 || collisions[1].collidesWith != 2 {
		t.Errorf("collisions %+v %+v", collisions[0], collisions[len(collisions)-1])
	}
}
