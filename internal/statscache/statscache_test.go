package statscache

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestAnswersAreComputedOnceUntilInvalidated(t *testing.T) {
	c := New(10)
	var computed int
	compute := func() (int, error) { computed++; return computed, nil }
	for range 3 {
		if v, err := Get(c, "k", compute); err != nil || v != 1 {
			t.Fatalf("got %d, %v; want the first answer 1", v, err)
		}
	}
	c.Invalidate()
	if v, _ := Get(c, "k", compute); v != 2 {
		t.Fatalf("after Invalidate got %d, want a new answer 2", v)
	}
}

// An answer whose computation overlapped a write (Invalidate during
// compute) may be returned to its own callers but is never served later.
func TestAnAnswerComputedAcrossAWriteIsNotKept(t *testing.T) {
	c := New(10)
	v, _ := Get(c, "k", func() (string, error) {
		c.Invalidate() // a write commits while the answer is computed
		return "before the write", nil
	})
	if v != "before the write" {
		t.Fatalf("got %q", v)
	}
	if v, _ := Get(c, "k", func() (string, error) { return "after the write", nil }); v != "after the write" {
		t.Fatalf("a read after the write got %q", v)
	}
}

func TestErrorsAreNotCached(t *testing.T) {
	c := New(10)
	if _, err := Get(c, "k", func() (int, error) { return 0, errors.New("database down") }); err == nil {
		t.Fatal("want the error")
	}
	if v, err := Get(c, "k", func() (int, error) { return 7, nil }); err != nil || v != 7 {
		t.Fatalf("got %d, %v", v, err)
	}
}

func TestConcurrentMissesComputeOnce(t *testing.T) {
	c := New(10)
	var computed atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	started := make(chan struct{}, 16)
	for range 16 {
		wg.Go(func() {
			started <- struct{}{}
			v, err := Get(c, "k", func() (int, error) {
				computed.Add(1)
				<-release
				return 42, nil
			})
			if err != nil || v != 42 {
				t.Errorf("got %d, %v", v, err)
			}
		})
	}
	for range 16 {
		<-started
	}
	close(release)
	wg.Wait()
	// Callers that arrived after the first computation finished read the
	// cached answer; none computes a second time in this generation.
	if n := computed.Load(); n != 1 {
		t.Fatalf("computed %d times, want 1", n)
	}
}

func TestTheCacheStaysBounded(t *testing.T) {
	c := New(4)
	for i := range 100 {
		if _, err := Get(c, string(rune('a'+i%26))+string(rune('a'+i/26)), func() (int, error) { return i, nil }); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(c.entries); n > 4 {
		t.Fatalf("%d entries, limit 4", n)
	}
}

func TestAnswersExpireAfterMaxAge(t *testing.T) {
	c := New(10)
	computed := 0
	compute := func() (int, error) { computed++; return computed, nil }
	must := func(v int, err error) int {
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	must(Get(c, "k", compute))
	c.mu.Lock()
	e := c.entries["k"]
	e.at = e.at.Add(-MaxAge) // as if kept a minute
	c.entries["k"] = e
	c.mu.Unlock()
	if v := must(Get(c, "k", compute)); v != 2 {
		t.Fatalf("an answer older than MaxAge was served: %d", v)
	}
}

// After a write, Refresh computes the recently asked answers again in the
// background under the new generation: a reader finds the new answer (or
// joins its computation) and never computes it itself, and never gets the
// answer from before the write.
func TestRefreshComputesTheAskedAnswersAgain(t *testing.T) {
	c := New(10)
	var computed atomic.Int64
	started := make(chan int64, 10)
	compute := func() (int64, error) {
		n := computed.Add(1)
		started <- n
		return n, nil
	}
	if v, _ := Get(c, "k", compute); v != 1 {
		t.Fatalf("first answer %d", v)
	}
	<-started
	c.Invalidate()
	c.Refresh()
	if n := <-started; n != 2 {
		t.Fatalf("the refresh computed answer %d, want 2", n)
	}
	v, err := Get(c, "k", func() (int64, error) { t.Error("the reader computed the answer itself"); return -1, nil })
	if err != nil || v != 2 {
		t.Fatalf("after the refresh got %d, %v; want 2", v, err)
	}
}

// An answer the refresh computed while another write committed is not
// served after that write.
func TestRefreshAcrossAWriteIsNotServed(t *testing.T) {
	c := New(10)
	var calls atomic.Int64
	done := make(chan struct{})
	_, _ = Get(c, "k", func() (string, error) {
		if calls.Add(1) == 2 { // the refresh's computation
			c.Invalidate() // a write commits meanwhile
			defer close(done)
			return "before the second write", nil
		}
		return "first", nil
	})
	c.Invalidate()
	c.Refresh()
	<-done
	for range 2 { // the stale answer may be handed back only to the refresh itself
		if v, _ := Get(c, "k", func() (string, error) { return "after the write", nil }); v != "after the write" {
			t.Fatalf("a read after the second write got %q", v)
		}
	}
}
