package store

import "testing"

func TestManyRowsRepeatsTheRowOfValues(t *testing.T) {
	q := "INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = t.b + excluded.b"
	want := "INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?) ON CONFLICT (a) DO UPDATE SET b = t.b + excluded.b"
	if got := manyRows(q, 3); got != want {
		t.Fatalf("manyRows(q, 3) =\n%s\nwant\n%s", got, want)
	}
	if got := manyRows(q, 3); got != want {
		t.Fatalf("manyRows(q, 3) from the cache = %s", got)
	}
	for _, bad := range []string{"UPDATE t SET b = ?", "INSERT INTO t (a, b) VALUES (?, now())"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("manyRows(%q) did not refuse it", bad)
				}
			}()
			manyRows(bad, 2)
		}()
	}
}
