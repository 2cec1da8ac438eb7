package server

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"

	"leoc/internal/config"
	"leoc/internal/files"
	"leoc/internal/leoc"
	"leoc/internal/must"
)

// bombPNG is a valid all-zero RGBA PNG of w × h pixels, made without ever
// holding the picture: a few hundred KB that decode to w × h × 4 bytes.
func bombPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(data)))
		out.Write(n[:])
		out.WriteString(typ)
		out.Write(data)
		binary.BigEndian.PutUint32(n[:], crc32.ChecksumIEEE(append([]byte(typ), data...)))
		out.Write(n[:])
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 6
	chunk("IHDR", ihdr)
	var idat bytes.Buffer
	zw := must.Get(zlib.NewWriterLevel(&idat, zlib.BestSpeed))(t)
	row := make([]byte, 1+w*4)
	rows := h
	if w*h > 50_000_000 {
		rows = 1 // refused by its header, never decoded: the rest would only cost the test time
	}
	for range rows {
		zw.Write(row)
	}
	zw.Close()
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// TestImageBombUploads: the 8000 × 8000 PNG is refused with a 400
// that says why, before any decode; LEOC_MAX_IMAGE_MEGAPIXELS moves the
// limit; and twenty uploads at once, at and under the budget, all succeed
// while the decodes in flight never hold more than the budget × 4 bytes.
func TestImageBombUploads(t *testing.T) {
	e, _ := uploadEnv(t, backendSQLite())
	officer := e.tokens[leoc.RoleOfficer]
	res := e.upload(t, "/api/v1/test-records/1/files", officer, "photo", "bomb.png", bombPNG(t, 8000, 8000))
	if res.Code != http.StatusBadRequest || !strings.Contains(res.Body, "too many pixels") {
		t.Fatalf("8000×8000 PNG: %d %s", res.Code, res.Body)
	}
	if e.s.files.Gate.Peak() != 0 {
		t.Fatalf("a refused bomb was decoded")
	}

	e, _ = uploadEnv(t, backendSQLite(), func(c *config.Config) { c.MaxImageMP = 1 })
	officer = e.tokens[leoc.RoleOfficer]
	if res := e.upload(t, "/api/v1/test-records/1/files", officer, "photo", "over.png", bombPNG(t, 1001, 1000)); res.Code != http.StatusBadRequest {
		t.Errorf("one pixel row over a 1 MP budget: %d", res.Code)
	}
	if res := e.upload(t, "/api/v1/test-records/1/files", officer, "photo", "at.png", bombPNG(t, 1000, 1000)); res.Code != http.StatusCreated {
		t.Errorf("1 MP at a 1 MP budget: %d %s", res.Code, res.Body)
	}

	// The same through a smaller budget than configuration allows, so that
	// twenty decodes stay quick under the race detector.
	limits := e.s.uploadLimits()
	limits.Pixels = 100_000
	e.s.files = files.NewChecker(limits, decodeParallel)
	at, half := bombPNG(t, 316, 316), bombPNG(t, 158, 158)
	var wg sync.WaitGroup
	codes := make(chan int, 20)
	for i := range 20 {
		data := half
		if i%5 == 0 {
			data = at
		}
		wg.Go(func() {
			codes <- e.upload(t, "/api/v1/test-records/1/files", officer, "photo", "bomb.png", data).Code
		})
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusCreated {
			t.Errorf("upload within the budget: %d", c)
		}
	}
	if p := e.s.files.Gate.Peak(); p > 400_000 || p == 0 {
		t.Errorf("decodes held %d bytes at once, want at most the 400,000 of a 100,000-pixel budget", p)
	}
}

// peakRSS reads the process's peak resident set (VmHWM) in bytes, after
// resetting it when reset is true (Linux: writing 5 to clear_refs).
func peakRSS(b *testing.B, reset bool) int64 {
	if reset {
		if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
			b.Skipf("cannot reset the peak RSS here: %v", err)
		}
		return 0
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb := must.Get(strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64))(b)
			return kb << 10
		}
	}
	b.Skip("no VmHWM")
	return 0
}

// BenchmarkParallelImageBombs: twenty worst-case uploads at once — PNGs of
// exactly the default 40 MP budget (8000 × 5000 RGBA, 160 MB decoded each,
// about 160 KB on the wire) — through the whole handler. Reports the peak
// RSS of the process while they run (target < 400 MB) and the most bytes
// the decode gate let run at once.
//
//	go test -run '^$' -bench ParallelImageBombs -benchtime 1x ./internal/server
func BenchmarkParallelImageBombs(b *testing.B) {
	e, _ := uploadEnv(b, backendSQLite())
	officer := e.tokens[leoc.RoleOfficer]
	bomb := bombPNG(b, 8000, 5000)
	var peak int64
	for b.Loop() {
		runtime.GC()
		debug.FreeOSMemory()
		peakRSS(b, true)
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				if res := e.upload(b, "/api/v1/test-records/1/files", officer, "photo", "bomb.png", bomb); res.Code != http.StatusCreated {
					b.Errorf("upload: %d %s", res.Code, res.Body)
				}
			})
		}
		wg.Wait()
		peak = max(peak, peakRSS(b, false))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
	b.ReportMetric(float64(e.s.files.Gate.Peak())/(1<<20), "gate-peak-MB")
}
