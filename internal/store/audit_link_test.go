package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"leoc/internal/store"
)

// The plain link must stay byte for byte what older versions wrote, or every
// old trail would fail verification after the upgrade.
func TestPlainLinkIsTheOldEncoding(t *testing.T) {
	e := &store.AuditEntry{ID: 42, At: time.Date(2026, 1, 29, 10, 0, 0, 123, time.UTC), UserID: 7, Username: "राम",
		IP: "192.0.2.1", Action: "user.update", Entity: "user", EntityID: "7", Details: `{"a":"b;c:d"}`, PrevHash: "ab12"}
	h := sha256.New()
	for _, f := range []string{e.PrevHash, "42", "2026-01-29T10:00:00.000000123Z", "7", e.Username, e.IP, e.Action, e.Entity, e.EntityID, e.Details} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	if got, want := store.PlainAuditHashForTest(e), hex.EncodeToString(h.Sum(nil)); got != want {
		t.Fatalf("plain link %s, want %s", got, want)
	}
}
