package files

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"runtime/debug"
	"sync/atomic"

	"golang.org/x/image/webp"
	"golang.org/x/sync/semaphore"
)

// Decompression bombs. A 186 KB PNG can claim 8000 × 8000 pixels and
// decode to 256 MB; a dozen of them in parallel took a server to 3 GB. So:
//
//  1. the pixel budget (Limits.Pixels, LEOC_MAX_IMAGE_MEGAPIXELS) is checked
//     from the header (image.DecodeConfig), before anything is decoded;
//  2. the memory the full decode will take is estimated from the header
//     (bytes per pixel of the decoded form, all GIF frames, a progressive
//     JPEG's coefficients, PNG interlacing), and an image whose decode would
//     need more than one worst-case picture (Pixels × 4 bytes) is refused;
//  3. full decodes run under one DecodeGate per process, a semaphore
//     weighted in those bytes: at most Pixels × 4 bytes of pictures are being
//     decoded at any moment, and at most `parallel` at a time, however many
//     uploads arrive together.

// DefaultMaxPixels is the default pixel budget: 40 megapixels holds any
// evidence photo a phone takes (a 50 MP sensor writes 12.5 MP pictures by
// default) and decodes to at most 160 MB.
const DefaultMaxPixels = 40_000_000

// bytesPerBudgetPixel is what one pixel of the budget may cost decoded: an
// 8-bit RGBA picture.
const bytesPerBudgetPixel = 4

// DecodeGate bounds the memory of full image decodes across a process.
// Make one with NewDecodeGate and share it by every check.
type DecodeGate struct {
	sem      *semaphore.Weighted
	capacity int64 // bytes
	share    int64 // the least one decode holds, so at most `parallel` run
	inUse    atomic.Int64
	peak     atomic.Int64
}

// NewDecodeGate allows decodes of at most pixels × 4 bytes in total and at
// most parallel of them at once (the number of cores that may decode).
func NewDecodeGate(pixels int64, parallel int) *DecodeGate {
	capacity := max(pixels, 1) * bytesPerBudgetPixel
	return &DecodeGate{sem: semaphore.NewWeighted(capacity), capacity: capacity, share: capacity / int64(max(parallel, 1))}
}

// Peak is the most bytes ever held at once (for tests and benchmarks).
func (g *DecodeGate) Peak() int64 { return g.peak.Load() }

// run decodes under the gate; ctx ends the wait (a client that gives up).
func (g *DecodeGate) run(ctx context.Context, need int64, decode func() error) error {
	w := min(max(need, g.share), g.capacity)
	if err := g.sem.Acquire(ctx, w); err != nil {
		return err
	}
	defer g.sem.Release(w)
	now := g.inUse.Add(w)
	defer g.inUse.Add(-w)
	for p := g.peak.Load(); now > p && !g.peak.CompareAndSwap(p, now); p = g.peak.Load() {
	}
	err := decode()
	if need >= collectAfter {
		// The picture is garbage the moment decode returns. Left to the
		// collector's own pace, the next decode is allocated on top of it
		// (the heap may grow to twice what was live): twenty bombs in a row
		// took 520 MB. Collected and handed back to the system here, inside
		// the gate, it is gone before the next decode starts, wherever that
		// one lands. This costs milliseconds against the second a big
		// decode takes.
		debug.FreeOSMemory()
	}
	return err
}

// collectAfter is the decode size from which the gate collects garbage
// right after the decode: a 12 MP phone photo (about 18 MB) is below it.
const collectAfter = 32 << 20

// decodeImage checks the header against the pixel budget, then decodes the
// whole picture under the gate to prove it is not damaged.
func decodeImage(ctx context.Context, gate *DecodeGate, maxPixels int64, ct string, data []byte) error {
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) error
	switch ct {
	case TypeJPEG:
		decodeConfig = jpeg.DecodeConfig
		decode = func(r io.Reader) error { _, err := jpeg.Decode(r); return err }
	case TypePNG:
		decodeConfig = png.DecodeConfig
		decode = func(r io.Reader) error { _, err := png.Decode(r); return err }
	case TypeGIF:
		decodeConfig = gif.DecodeConfig
		decode = func(r io.Reader) error { _, err := gif.DecodeAll(r); return err }
	case TypeWebP:
		decodeConfig = webp.DecodeConfig
		decode = func(r io.Reader) error { _, err := webp.Decode(r); return err }
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return reject(ReasonCorrupt, err.Error())
	}
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if cfg.Width <= 0 || cfg.Height <= 0 || pixels > maxPixels {
		return reject(ReasonTooBigImg, "")
	}
	need, ok := decodeBytes(ct, data, pixels)
	if !ok {
		return reject(ReasonCorrupt, "image structure")
	}
	if need > maxPixels*bytesPerBudgetPixel {
		return reject(ReasonTooBigImg, "decoded size")
	}
	err = gate.run(ctx, need, func() error { return decode(bytes.NewReader(data)) })
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return reject(ReasonCorrupt, err.Error())
	}
	return nil
}

// decodeBytes estimates, from the structure, the memory Go's decoder will
// hold for the picture; false when the structure cannot be read.
func decodeBytes(ct string, b []byte, pixels int64) (int64, bool) {
	switch ct {
	case TypePNG:
		return pngDecodeBytes(b, pixels)
	case TypeJPEG:
		return jpegDecodeBytes(b, pixels)
	case TypeGIF:
		return gifDecodeBytes(b)
	case TypeWebP:
		// Anywhere, not only first: an extended WebP may put an ICC profile
		// before the picture. A lossy one that happens to hold the four
		// bytes is merely counted high.
		if bytes.Contains(b, []byte("VP8L")) {
			return pixels * 8, true // NRGBA out, ARGB words while decoding
		}
		return pixels * 5 / 2, true // YCbCr 4:2:0 and an alpha plane
	}
	return 0, false
}

// pngDecodeBytes: the decoded form's bytes per pixel from IHDR; an
// interlaced picture is decoded pass by pass and copied, twice the memory.
func pngDecodeBytes(b []byte, pixels int64) (int64, bool) {
	if len(b) < 29 || string(b[12:16]) != "IHDR" {
		return 0, false
	}
	depth, colour, interlace := b[24], b[25], b[28]
	per := map[byte]int64{0: 1, 2: 4, 3: 1, 4: 4, 6: 4}[colour]
	if depth == 16 {
		per = map[byte]int64{0: 2, 2: 8, 4: 8, 6: 8}[colour]
	}
	if per == 0 {
		return 0, false
	}
	need := pixels * per
	if interlace == 1 {
		need *= 2
	}
	return need, true
}

// jpegDecodeBytes: one byte per sample of every component plane at its
// sampling, and for a progressive JPEG the coefficients kept until the end
// (64 int32 per 8 × 8 block: four bytes per sample); CMYK pictures are
// converted through a second buffer.
func jpegDecodeBytes(b []byte, pixels int64) (int64, bool) {
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			return 0, false
		}
		marker := b[i+1]
		if marker == 0xFF {
			i++
			continue
		}
		if marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) {
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return 0, false
		}
		isSOF := marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
		if !isSOF {
			i += 2 + n
			continue
		}
		seg := b[i+4 : i+2+n]
		if len(seg) < 6 || len(seg) < 6+3*int(seg[5]) || seg[5] == 0 {
			return 0, false
		}
		comps := int(seg[5])
		var hmax, vmax int64 = 1, 1
		for c := range comps {
			hv := seg[6+3*c+1]
			hmax, vmax = max(hmax, int64(hv>>4)), max(vmax, int64(hv&15))
		}
		var samples int64
		for c := range comps {
			hv := seg[6+3*c+1]
			samples += pixels * max(int64(hv>>4), 1) * max(int64(hv&15), 1) / (hmax * vmax)
		}
		need := samples + samples/8 // MCU padding
		if marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE {
			need += 4 * samples
		}
		if comps == 4 {
			need += pixels * 4
		}
		return need, true
	}
	return 0, false
}

// gifDecodeBytes walks the blocks of a GIF without decompressing anything
// and adds up the frames: gif.DecodeAll keeps every frame, one byte a pixel,
// so a thousand full-size frames are a thousand pictures.
func gifDecodeBytes(b []byte) (int64, bool) {
	if len(b) < 13 {
		return 0, false
	}
	i := 13
	if b[10]&0x80 != 0 {
		i += 3 << (b[10]&7 + 1)
	}
	subBlocks := func(i int) (int, bool) {
		for i < len(b) {
			n := int(b[i])
			i++
			if n == 0 {
				return i, true
			}
			i += n
		}
		return 0, false
	}
	var total int64
	for ok := true; ok && i < len(b); {
		switch b[i] {
		case 0x21: // extension: label, then sub-blocks
			i, ok = subBlocks(i + 2)
		case 0x2C: // image descriptor
			if i+10 > len(b) {
				return 0, false
			}
			w, h := int64(binary.LittleEndian.Uint16(b[i+5:])), int64(binary.LittleEndian.Uint16(b[i+7:]))
			total += w * h
			flags := b[i+9]
			i += 10
			if flags&0x80 != 0 {
				i += 3 << (flags&7 + 1)
			}
			i, ok = subBlocks(i + 1) // after the LZW minimum code size
		case 0x3B:
			return max(total, 1), true
		default:
			return 0, false
		}
		if !ok {
			return 0, false
		}
	}
	return 0, false
}
