package loadbench

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestRunAsksThePathsInTurnBesideDuring: a scenario with Paths asks every
// one of them, and its During runs for the run and has its error counted.
func TestRunAsksThePathsInTurnBesideDuring(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.URL.Path]++
		mu.Unlock()
	}))
	defer srv.Close()
	c := NewClient(srv.URL, "t", 2)
	ran := make(chan struct{})
	sc := Scenario{Name: "paths", Method: "GET", Paths: []string{"/a", "/b", "/c"}, During: func(ctx context.Context) error {
		close(ran)
		<-ctx.Done()
		return nil
	}}
	r := Run(context.Background(), c, sc, 2, 100*time.Millisecond, 0)
	<-ran
	if r.Errors != 0 || asked["/a"] == 0 || asked["/b"] == 0 || asked["/c"] == 0 || asked["/"] != 0 {
		t.Fatalf("result %+v, asked %v", r, asked)
	}
	sc.During = func(context.Context) error { return errors.New("writer failed") }
	if r := Run(context.Background(), c, sc, 1, 50*time.Millisecond, 0); r.Errors != 1 || r.FirstError != "writer failed" {
		t.Fatalf("an error of During: %+v", r)
	}
}
