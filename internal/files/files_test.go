package files

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leoc/internal/must"
)

func testImage() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 16, 12))
	for x := range 16 {
		for y := range 12 {
			img.Set(x, y, color.RGBA{uint8(x * 16), uint8(y * 20), 90, 255})
		}
	}
	return img
}

// PNGBytes, JPEGBytes, … are real small files of each allowed type.
func PNGBytes(t testing.TB) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, testImage()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func JPEGBytes(t testing.TB) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testImage(), &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func GIFBytes(t testing.TB) []byte {
	var b bytes.Buffer
	pal := image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.Black, color.White})
	pal.SetColorIndex(2, 2, 1)
	if err := gif.Encode(&b, pal, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func WebPBytes(t testing.TB) []byte {
	b, err := os.ReadFile("testdata/tiny.webp")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const minimalPDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

func zipBytes(t testing.TB, parts map[string]string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const docxTypes = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

func DOCXBytes(t testing.TB) []byte {
	return zipBytes(t, map[string]string{
		"[Content_Types].xml": docxTypes,
		"word/document.xml":   `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>`,
	})
}

// gpsMark is the GPS map datum written into the test photo's EXIF: if it
// survives storage, the location survived.
const gpsMark = "THALARA-GPS-29.55N"

// JPEGWithGPS is a phone-like JPEG: EXIF with orientation 6 (rotated) and a
// GPS IFD right after the start of image.
func JPEGWithGPS(t testing.TB) []byte {
	bo := binary.BigEndian
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	// IFD0 at 8: two entries (orientation, GPS pointer), then next = 0.
	ifd0 := make([]byte, 2+2*12+4)
	bo.PutUint16(ifd0, 2)
	e := ifd0[2:]
	bo.PutUint16(e[0:], 0x0112)
	bo.PutUint16(e[2:], 3)
	bo.PutUint32(e[4:], 1)
	bo.PutUint16(e[8:], 6)
	gpsOff := uint32(8 + len(ifd0))
	e = ifd0[14:]
	bo.PutUint16(e[0:], 0x8825)
	bo.PutUint16(e[2:], 4)
	bo.PutUint32(e[4:], 1)
	bo.PutUint32(e[8:], gpsOff)
	// GPS IFD: one ASCII entry (GPSMapDatum) whose value follows the IFD.
	gps := make([]byte, 2+12+4)
	bo.PutUint16(gps, 1)
	bo.PutUint16(gps[2:], 0x0012)
	bo.PutUint16(gps[4:], 2)
	bo.PutUint32(gps[6:], uint32(len(gpsMark)+1))
	bo.PutUint32(gps[10:], gpsOff+uint32(len(gps)))
	tiff = append(append(append(tiff, ifd0...), gps...), append([]byte(gpsMark), 0)...)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xFF, 0xE1, 0, 0}
	bo.PutUint16(app1[2:], uint16(2+len(payload)))
	app1 = append(app1, payload...)
	// XMP can carry the position too.
	xmp := append([]byte("http://ns.adobe.com/xap/1.0/\x00"), []byte(`<x:xmpmeta><exif:GPSLatitude>`+gpsMark+`</exif:GPSLatitude></x:xmpmeta>`)...)
	xmpSeg := []byte{0xFF, 0xE1, 0, 0}
	bo.PutUint16(xmpSeg[2:], uint16(2+len(xmp)))
	xmpSeg = append(xmpSeg, xmp...)
	plain := JPEGBytes(t)
	out := append([]byte{0xFF, 0xD8}, app1...)
	out = append(out, xmpSeg...)
	return append(out, plain[2:]...)
}

func TestCheckAcceptsEveryAllowedType(t *testing.T) {
	cases := []struct {
		name, kind, want string
		data             []byte
	}{
		{"png photo", KindPhoto, TypePNG, PNGBytes(t)},
		{"jpeg photo", KindPhoto, TypeJPEG, JPEGBytes(t)},
		{"gif photo", KindPhoto, TypeGIF, GIFBytes(t)},
		{"webp photo", KindPhoto, TypeWebP, WebPBytes(t)},
		{"pdf document", KindDocument, TypePDF, []byte(minimalPDF)},
		{"docx document", KindDocument, TypeDOCX, DOCXBytes(t)},
		{"jpeg document", KindDocument, TypeJPEG, JPEGBytes(t)},
		{"png document", KindDocument, TypePNG, PNGBytes(t)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Check(c.kind, c.data, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if got.ContentType != c.want || len(got.Data) == 0 || len(got.SHA256) != 64 {
				t.Fatalf("got %q, %d bytes, sha %q", got.ContentType, len(got.Data), got.SHA256)
			}
		})
	}
}

func TestCheckRefusesDisguisedAndBrokenFiles(t *testing.T) {
	jpg := JPEGBytes(t)
	pngb := PNGBytes(t)
	cases := []struct {
		name, kind, reason string
		data               []byte
	}{
		{"html named photo.png", KindPhoto, ReasonType, []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>")},
		{"svg named x.png", KindPhoto, ReasonType, []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>`)},
		{"pdf as photo", KindPhoto, ReasonType, []byte(minimalPDF)},
		{"docx as photo", KindPhoto, ReasonType, DOCXBytes(t)},
		{"gif as document", KindDocument, ReasonType, GIFBytes(t)},
		{"truncated jpeg", KindPhoto, ReasonCorrupt, jpg[:len(jpg)/2]},
		{"truncated png", KindPhoto, ReasonCorrupt, pngb[:len(pngb)-20]},
		{"gif header then html", KindPhoto, ReasonTooBigImg, []byte("GIF89a<html><script>alert(1)</script></html>")},
		{"jpeg magic then garbage", KindPhoto, ReasonCorrupt, append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0}, bytes.Repeat([]byte{0x41}, 64)...)},
		{"zip without document.xml", KindDocument, ReasonType, zipBytes(t, map[string]string{"[Content_Types].xml": docxTypes, "word/other.xml": "<x/>"})},
		{"plain zip", KindDocument, ReasonType, zipBytes(t, map[string]string{"a.txt": "hello"})},
		{"macro docm renamed", KindDocument, ReasonType, zipBytes(t, map[string]string{"[Content_Types].xml": docxTypes, "word/document.xml": "<x/>", "word/vbaProject.bin": "x"})},
		{"pdf without end", KindDocument, ReasonCorrupt, []byte("%PDF-1.4\n1 0 obj<<>>endobj\n")},
		{"exe", KindDocument, ReasonType, []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")},
		{"empty", KindPhoto, ReasonEmpty, nil},
		{"unknown kind", "avatar", ReasonKind, pngb},
		{"too large", KindPhoto, ReasonTooLarge, pngb},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			limits := DefaultLimits
			if c.reason == ReasonTooLarge {
				limits.Photo = int64(len(c.data) - 1)
			}
			_, err := Check(c.kind, c.data, limits)
			re, ok := IsReject(err)
			if !ok || re.Reason != c.reason {
				t.Fatalf("want refusal %q, got %v", c.reason, err)
			}
		})
	}
}

func TestCheckRefusesDecompressionBomb(t *testing.T) {
	// A PNG header claiming 20000×20000 pixels with almost no data.
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	binary.BigEndian.PutUint32(data[16:], 20000)
	binary.BigEndian.PutUint32(data[20:], 20000)
	_, err := Check(KindPhoto, data, DefaultLimits)
	if re, ok := IsReject(err); !ok || (re.Reason != ReasonTooBigImg && re.Reason != ReasonCorrupt) {
		t.Fatalf("bomb: %v", err)
	}
}

func TestGPSIsStrippedFromJPEG(t *testing.T) {
	in := JPEGWithGPS(t)
	if !bytes.Contains(in, []byte(gpsMark)) {
		t.Fatal("test photo has no GPS")
	}
	if _, err := jpeg.Decode(bytes.NewReader(in)); err != nil {
		t.Fatalf("test photo does not decode: %v", err)
	}
	got, err := Check(KindPhoto, in, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(got.Data, []byte(gpsMark)) || bytes.Contains(got.Data, []byte{0x88, 0x25}) || bytes.Contains(got.Data, []byte("ns.adobe.com/xap")) {
		t.Fatal("GPS position survived")
	}
	// The orientation is kept, so a portrait photo still shows upright.
	i := bytes.Index(got.Data, []byte("Exif\x00\x00"))
	if i < 0 || exifOrientation(got.Data[i+6:]) != 6 {
		t.Fatalf("orientation lost")
	}
	if _, err := jpeg.Decode(bytes.NewReader(got.Data)); err != nil {
		t.Fatalf("stripped photo does not decode: %v", err)
	}
	// A photo without rotation loses its EXIF altogether.
	plain := JPEGBytes(t)
	out, err := StripMetadata(TypeJPEG, plain)
	if err != nil || !bytes.Equal(out, plain) {
		t.Fatalf("plain JPEG changed: %v", err)
	}
}

func TestMetadataIsStrippedFromPNGAndWebP(t *testing.T) {
	p := PNGBytes(t)
	// Insert an eXIf and an iTXt chunk (XMP) after IHDR (8 + 25 bytes).
	withMeta := append([]byte{}, p[:33]...)
	withMeta = append(withMeta, pngChunk("eXIf", "MM\x00\x2a"+gpsMark)...)
	withMeta = append(withMeta, pngChunk("iTXt", "XML:com.adobe.xmp\x00\x00\x00\x00\x00"+gpsMark)...)
	withMeta = append(withMeta, p[33:]...)
	got, err := Check(KindPhoto, withMeta, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(got.Data, []byte(gpsMark)) || !bytes.Equal(got.Data, p) {
		t.Fatal("PNG metadata survived")
	}

	w := WebPBytes(t)
	withExif := append([]byte{}, w...)
	extra := append([]byte("EXIF"), binary.LittleEndian.AppendUint32(nil, uint32(len(gpsMark)))...)
	extra = append(extra, gpsMark...)
	if len(gpsMark)%2 == 1 {
		extra = append(extra, 0)
	}
	withExif = append(withExif, extra...)
	binary.LittleEndian.PutUint32(withExif[4:], uint32(len(withExif)-8))
	out, err := StripMetadata(TypeWebP, withExif)
	if err != nil || bytes.Contains(out, []byte(gpsMark)) || !bytes.Equal(out, w) {
		t.Fatalf("WebP EXIF survived: %v", err)
	}
}

func pngChunk(typ, data string) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	crc := crc32.ChecksumIEEE(append([]byte(typ), data...))
	return binary.BigEndian.AppendUint32(c, crc)
}

func TestDisplayName(t *testing.T) {
	cases := map[string]string{
		"photo.png":                       "photo.png",
		"../../etc/passwd":                "passwd",
		`C:\Users\ram\Desktop\राहत.jpg`:   "राहत.jpg",
		"evil\u202egpj.exe":               "evilgpj.exe",
		"a\x00b\nc.pdf":                   "abc.pdf",
		"..":                              "file.pdf",
		"":                                "file.pdf",
		`say "hi".pdf`:                    "say _hi_.pdf",
		strings.Repeat("क", 300) + ".pdf": strings.Repeat("क", maxNameRunes-4) + ".pdf",
	}
	for in, want := range cases {
		if got := DisplayName(in, TypePDF); got != want {
			t.Errorf("DisplayName(%q) = %q, want %q", in, got, want)
		}
	}
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return n
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	k := min(len(p), f.n)
	f.n -= k
	return k, nil
}

func TestLocalStorage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := Local{Dir: dir}
	key, err := NewKey()
	if err != nil || len(key) != 32 {
		t.Fatalf("key %q %v", key, err)
	}
	if n, err := st.Put(ctx, key, strings.NewReader("evidence")); err != nil || n != 8 {
		t.Fatalf("put: %d %v", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, key[:2], key[2:4], key)); err != nil {
		t.Fatalf("not fanned out: %v", err)
	}
	rc, err := st.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b := must.Get(io.ReadAll(rc))(t)
	rc.Close()
	if string(b) != "evidence" {
		t.Fatalf("read %q", b)
	}
	// A key is never a path.
	for _, bad := range []string{"../../etc/passwd", "", "ABCDEF0123456789ABCDEF0123456789", key + "/x", "0123"} {
		if _, err := st.Put(ctx, bad, strings.NewReader("x")); !errors.Is(err, ErrBadKey) {
			t.Errorf("put %q: %v", bad, err)
		}
		if _, err := st.Open(ctx, bad); !errors.Is(err, ErrBadKey) {
			t.Errorf("open %q: %v", bad, err)
		}
	}
	// An existing key is never overwritten.
	if _, err := st.Put(ctx, key, strings.NewReader("other")); err == nil {
		t.Fatal("overwrote a key")
	}
	if err := st.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, key); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := st.Open(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("open deleted: %v", err)
	}
	if n := countFiles(t, dir); n != 0 {
		t.Fatalf("%d files left", n)
	}
}

func TestLocalStorageLeavesNoPartialFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := Local{Dir: dir}
	key := must.Get(NewKey())(t)
	if _, err := st.Put(ctx, key, &failingReader{n: 100 << 10}); err == nil {
		t.Fatal("put of a failing reader succeeded")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	key2 := must.Get(NewKey())(t)
	if _, err := st.Put(cctx, key2, strings.NewReader("x")); err == nil {
		t.Fatal("put with a cancelled context succeeded")
	}
	if n := countFiles(t, dir); n != 0 {
		t.Fatalf("%d partial files left", n)
	}
	if _, err := st.Open(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("partial file readable: %v", err)
	}
}
