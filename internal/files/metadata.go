package files

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// StripMetadata removes the metadata in which cameras and phones record
// where a photo was taken (EXIF GPS, XMP), without re-encoding the picture:
// re-encoding would lose quality and is slow on a small server.
//
//   - JPEG: every APP1 segment (EXIF, XMP) and every COM (comment) segment
//     is dropped; when the EXIF said the photo is rotated, a minimal EXIF
//     with only that orientation is put back, so portrait phone photos are
//     not shown sideways.
//   - PNG: eXIf and text chunks (tEXt, zTXt, iTXt: XMP and "Raw profile"
//     EXIF live there) are dropped.
//   - WebP: EXIF and XMP chunks are dropped and the VP8X flags cleared.
//   - GIF has no standard place for a position and is returned as it is.
//
// Malformed structure is an error: a file that cannot be walked cannot be
// stripped, so it is not stored.
func StripMetadata(contentType string, b []byte) ([]byte, error) {
	switch contentType {
	case TypeJPEG:
		return stripJPEG(b)
	case TypePNG:
		return stripPNG(b)
	case TypeWebP:
		return stripWebP(b)
	}
	return b, nil
}

var errTruncated = errors.New("truncated or malformed image structure")

func stripJPEG(b []byte) ([]byte, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, errTruncated
	}
	out := make([]byte, 0, len(b))
	out = append(out, 0xFF, 0xD8)
	i := 2
	for {
		if i+2 > len(b) || b[i] != 0xFF {
			return nil, errTruncated
		}
		for i+2 < len(b) && b[i+1] == 0xFF { // fill bytes
			i++
		}
		marker := b[i+1]
		switch {
		case marker == 0xDA: // start of scan: the rest is picture data
			return append(out, b[i:]...), nil
		case marker == 0xD9: // end of image before any scan
			return nil, errTruncated
		case marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7): // no length
			out = append(out, b[i:i+2]...)
			i += 2
			continue
		}
		if i+4 > len(b) {
			return nil, errTruncated
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return nil, errTruncated
		}
		seg := b[i : i+2+n]
		if marker == 0xFE { // COM: free text (camera owner, editing software, a caption)
			i += 2 + n
			continue
		}
		if marker == 0xE1 {
			if payload := seg[4:]; bytes.HasPrefix(payload, []byte("Exif\x00\x00")) {
				if o := exifOrientation(payload[6:]); o > 1 && o <= 8 {
					out = append(out, orientationOnlyExif(o)...)
				}
			}
		} else {
			out = append(out, seg...)
		}
		i += 2 + n
	}
}

// exifOrientation reads tag 0x0112 of IFD0 from a TIFF structure; 0 when it
// is absent or anything is out of bounds.
func exifOrientation(t []byte) uint16 {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	if bo.Uint16(t[2:]) != 42 {
		return 0
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 0
	}
	count := int(bo.Uint16(t[off:]))
	for k := range count {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 0
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 {
			return bo.Uint16(t[e+8:])
		}
	}
	return 0
}

// orientationOnlyExif is an APP1 EXIF segment whose only entry is the
// orientation.
func orientationOnlyExif(o uint16) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at 8
		0, 1, // one entry
		0x01, 0x12, 0, 3, 0, 0, 0, 1, byte(o >> 8), byte(o), 0, 0, // orientation, SHORT, 1
		0, 0, 0, 0} // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(2+len(payload)))
	return append(seg, payload...)
}

func stripPNG(b []byte) ([]byte, error) {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(b, []byte(sig)) {
		return nil, errTruncated
	}
	out := make([]byte, 0, len(b))
	out = append(out, sig...)
	i := len(sig)
	for {
		if i+8 > len(b) {
			return nil, errTruncated
		}
		n := int(binary.BigEndian.Uint32(b[i:]))
		end := i + 12 + n
		if n < 0 || n > len(b) || end > len(b) {
			return nil, errTruncated
		}
		switch typ := string(b[i+4 : i+8]); typ {
		case "eXIf", "tEXt", "zTXt", "iTXt":
		default:
			out = append(out, b[i:end]...)
			if typ == "IEND" {
				return out, nil
			}
		}
		i = end
	}
}

func stripWebP(b []byte) ([]byte, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return nil, errTruncated
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:12]...)
	vp8x := -1
	i := 12
	for i < len(b) {
		if i+8 > len(b) {
			return nil, errTruncated
		}
		n := int(binary.LittleEndian.Uint32(b[i+4:]))
		end := i + 8 + n + n%2
		if n < 0 || n > len(b) || i+8+n > len(b) {
			return nil, errTruncated
		}
		end = min(end, len(b)) // a missing final pad byte is tolerated by decoders
		switch string(b[i : i+4]) {
		case "EXIF", "XMP ":
		case "VP8X":
			vp8x = len(out)
			out = append(out, b[i:end]...)
		default:
			out = append(out, b[i:end]...)
		}
		i = end
	}
	if vp8x >= 0 && vp8x+8 < len(out) {
		out[vp8x+8] &^= 0x08 | 0x04 // EXIF and XMP present flags
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, nil
}
