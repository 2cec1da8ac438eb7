package files

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"sync"
	"testing"

	"leoc/internal/must"
)

// bombPNG is a real, valid PNG of w × h pixels, all zero, written without
// ever holding the picture: a few hundred KB that decode to w × h × 4 bytes
// (colour 6 = RGBA at 8 bits; 16 bits doubles it).
func bombPNG(t testing.TB, w, h int, depth byte, interlace byte) []byte {
	t.Helper()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(data)))
		out.Write(n[:])
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		out.WriteString(typ)
		out.Write(data)
		binary.BigEndian.PutUint32(n[:], crc.Sum32())
		out.Write(n[:])
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9], ihdr[12] = depth, 6, interlace
	chunk("IHDR", ihdr)
	var idat bytes.Buffer
	zw := must.Get(zlib.NewWriterLevel(&idat, zlib.BestSpeed))(t)
	row := make([]byte, 1+w*4*int(depth/8)) // filter byte 0, then zeros
	rows := h
	if interlace == 1 {
		rows = 2 * h // more than the seven passes need; the decoder stops when done
	}
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

func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	if re, ok := IsReject(err); !ok || re.Reason != reason {
		t.Fatalf("got %v, want refusal %q", err, reason)
	}
}

// TestPixelBudgetIsCheckedBeforeDecoding: the 8000 × 8000 PNG (64
// MP, 256 MB decoded) is refused at the default 40 MP from its header alone
// — the gate never lets a decode start — and the budget is configurable.
func TestPixelBudgetIsCheckedBeforeDecoding(t *testing.T) {
	bomb := bombPNG(t, 8000, 8000, 8, 0)
	c := NewChecker(DefaultLimits, 2)
	_, err := c.Check(t.Context(), KindPhoto, bomb)
	wantReason(t, err, ReasonTooBigImg)
	if c.Gate.Peak() != 0 {
		t.Errorf("a decode ran (%d bytes held) for a picture refused by its header", c.Gate.Peak())
	}

	small := Limits{Photo: DefaultPhotoLimit, Document: DefaultDocumentLimit, Pixels: 1_000_000}
	c = NewChecker(small, 2)
	if _, err := c.Check(t.Context(), KindPhoto, bombPNG(t, 1000, 1000, 8, 0)); err != nil {
		t.Fatalf("1 MP at a 1 MP budget: %v", err)
	}
	if c.Gate.Peak() < 4_000_000 {
		t.Errorf("gate held %d bytes for a 4 MB decode", c.Gate.Peak())
	}
	_, err = c.Check(t.Context(), KindPhoto, bombPNG(t, 1001, 1000, 8, 0))
	wantReason(t, err, ReasonTooBigImg)
}

// TestDecodedSizeCounts: what a picture costs decoded, not only its pixel
// count, must fit: 16-bit and interlaced PNGs and many-frame GIFs of
// allowed dimensions are refused before decoding.
func TestDecodedSizeCounts(t *testing.T) {
	limits := Limits{Photo: DefaultPhotoLimit, Document: DefaultDocumentLimit, Pixels: 10_000}
	c := NewChecker(limits, 2)
	_, err := c.Check(t.Context(), KindPhoto, bombPNG(t, 100, 100, 16, 0))
	wantReason(t, err, ReasonTooBigImg)
	_, err = c.Check(t.Context(), KindPhoto, bombPNG(t, 100, 100, 8, 1))
	wantReason(t, err, ReasonTooBigImg)

	frames := func(n int) []byte {
		g := &gif.GIF{}
		for range n {
			g.Image = append(g.Image, image.NewPaletted(image.Rect(0, 0, 100, 100), color.Palette{color.Black, color.White}))
			g.Delay = append(g.Delay, 10)
		}
		var b bytes.Buffer
		if err := gif.EncodeAll(&b, g); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if _, err := c.Check(t.Context(), KindPhoto, frames(3)); err != nil {
		t.Fatalf("3 frames: %v", err)
	}
	_, err = c.Check(t.Context(), KindPhoto, frames(500))
	wantReason(t, err, ReasonTooBigImg)
	if c.Gate.Peak() > 40_000 {
		t.Errorf("gate held %d bytes, more than the 40,000 of the budget", c.Gate.Peak())
	}
}

// TestDecodeGateBoundsParallelDecodes: twenty worst-case pictures checked
// at once never hold more than the budget (pixels × 4 bytes) in decodes.
func TestDecodeGateBoundsParallelDecodes(t *testing.T) {
	limits := Limits{Photo: DefaultPhotoLimit, Document: DefaultDocumentLimit, Pixels: 250_000}
	c := NewChecker(limits, 2)
	bomb := bombPNG(t, 500, 500, 8, 0) // exactly the budget: 1 MB decoded
	small := bombPNG(t, 100, 100, 8, 0)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		data := bomb
		if i%2 == 1 {
			data = small
		}
		wg.Go(func() {
			if _, err := c.Check(context.Background(), KindPhoto, data); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if p := c.Gate.Peak(); p > 1_000_000 || p < 1_000_000 {
		t.Errorf("peak %d bytes in decodes, want exactly the 1,000,000 budget", p)
	}
}

// TestDecodeWaitEndsWithTheRequest: a client that gives up while its upload
// waits for the gate gets its context's error back, not a refusal.
func TestDecodeWaitEndsWithTheRequest(t *testing.T) {
	c := NewChecker(Limits{Photo: DefaultPhotoLimit, Pixels: 10_000}, 1)
	if err := c.Gate.sem.Acquire(t.Context(), c.Gate.capacity); err != nil { // every slot taken
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Check(ctx, KindPhoto, bombPNG(t, 10, 10, 8, 0))
	if _, ok := IsReject(err); ok || err != context.Canceled {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// TestDOCXMembersAndSize: a .docx whose members would unpack outside a
// folder, or that declares more than MaxDOCXUncompressed, is refused.
func TestDOCXMembersAndSize(t *testing.T) {
	for _, name := range []string{"../evil.xml", "word/../../evil.xml", "/etc/passwd", `word\..\evil.xml`, "C:/evil.xml"} {
		data := zipBytes(t, map[string]string{"[Content_Types].xml": docxTypes, "word/document.xml": "<x/>", name: "x"})
		_, err := Check(KindDocument, data, DefaultLimits)
		wantReason(t, err, ReasonType)
	}
	// A member claiming 101 MB: written raw, so the test does not have to
	// compress 101 MB to make one.
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range map[string]string{"[Content_Types].xml": docxTypes, "word/document.xml": "<x/>"} {
		w := must.Get(zw.Create(name))(t)
		w.Write([]byte(body))
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/media/big.bin", Method: zip.Store, CompressedSize64: 1, UncompressedSize64: MaxDOCXUncompressed + 1})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{0})
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = Check(KindDocument, b.Bytes(), DefaultLimits)
	wantReason(t, err, ReasonUnpacked)
	if _, err := Check(KindDocument, DOCXBytes(t), DefaultLimits); err != nil {
		t.Fatalf("a plain docx: %v", err)
	}
}

// TestJPEGCommentIsDropped: COM segments (free text: owner, software, a
// caption with a place name) go with the other metadata.
func TestJPEGCommentIsDropped(t *testing.T) {
	plain := JPEGBytes(t)
	com := []byte{0xFF, 0xFE, 0, 0}
	text := "Photo by Ram Bahadur, Kholi ward 5"
	binary.BigEndian.PutUint16(com[2:], uint16(2+len(text)))
	in := append(append(append([]byte{0xFF, 0xD8}, com...), text...), plain[2:]...)
	got, err := Check(KindPhoto, in, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(got.Data, []byte("Ram Bahadur")) {
		t.Fatal("the JPEG comment was stored")
	}
	if !bytes.Equal(got.Data, plain) {
		t.Errorf("stripping changed more than the comment: %d bytes, want %d", len(got.Data), len(plain))
	}
}

// TestJPEGDecodeEstimate: a JPEG counts its component planes at their
// sampling, and a progressive one its coefficients too (Go keeps 64 int32
// per 8 × 8 block until the last scan): five times the memory.
func TestJPEGDecodeEstimate(t *testing.T) {
	var b bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	if err := jpeg.Encode(&b, img, nil); err != nil { // 4:2:0
		t.Fatal(err)
	}
	baseline := b.Bytes()
	got, ok := jpegDecodeBytes(baseline, 64*64)
	samples := int64(64*64 + 2*32*32)
	if !ok || got != samples+samples/8 {
		t.Fatalf("baseline 4:2:0: %d, %v; want %d", got, ok, samples+samples/8)
	}
	sof := bytes.Index(baseline, []byte{0xFF, 0xC0})
	progressive := bytes.Clone(baseline)
	progressive[sof+1] = 0xC2
	got, ok = jpegDecodeBytes(progressive, 64*64)
	if !ok || got != 5*samples+samples/8 {
		t.Fatalf("progressive 4:2:0: %d, %v; want %d", got, ok, 5*samples+samples/8)
	}
	// At a budget of 6,000 pixels (24,000 bytes) the baseline picture
	// passes and the progressive one is refused before any decode.
	c := NewChecker(Limits{Photo: DefaultPhotoLimit, Pixels: 6_000}, 1)
	if _, err := c.Check(t.Context(), KindPhoto, baseline); err != nil {
		t.Fatalf("baseline: %v", err)
	}
	_, err := c.Check(t.Context(), KindPhoto, progressive)
	wantReason(t, err, ReasonTooBigImg)
}
