package bs

import (
	"strings"
	"sync"
	"testing"
)

// TestReplaceWhileInUse swaps a calendar's table under concurrent readers:
// every answer comes from one table or the other (never a mix, never a
// panic), Default is left alone, and after Replace the new table answers.
func TestReplaceWhileInUse(t *testing.T) {
	live := Default().Clone()
	// 2090 made official with a different Chaitra length.
	newer, err := Load(strings.NewReader("official-through 2090\n2090 31 31 32 31 31 31 30 29 30 29 30 31\n"))
	if err != nil {
		t.Fatal(err)
	}
	oldLen, _ := live.DaysInMonth(2090, 12)
	newLen, _ := newer.DaysInMonth(2090, 12)
	if oldLen == newLen {
		t.Fatalf("test table does not change Chaitra 2090 (%d days)", oldLen)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				n, err := live.DaysInMonth(2090, 12)
				if err != nil || (n != oldLen && n != newLen) {
					t.Errorf("DaysInMonth during swap = %d, %v", n, err)
					return
				}
				if _, err := live.appendADOfBS(nil, "2090-12-01"); err != nil {
					t.Errorf("convert during swap: %v", err)
					return
				}
			}
		})
	}
	for i := range 200 {
		if i%2 == 0 {
			live.Replace(newer)
		} else {
			live.Replace(Default())
		}
	}
	live.Replace(newer)
	close(stop)
	wg.Wait()
	if n, _ := live.DaysInMonth(2090, 12); n != newLen || !live.IsProvisional(2091) || live.IsProvisional(2090) {
		t.Errorf("after Replace: Chaitra 2090 has %d days (want %d), provisional 2090=%v", n, newLen, live.IsProvisional(2090))
	}
	if n, _ := Default().DaysInMonth(2090, 12); n != oldLen || !Default().IsProvisional(2090) {
		t.Errorf("Replace on a clone changed Default: %d days", n)
	}
}
