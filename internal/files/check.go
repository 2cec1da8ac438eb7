package files

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Kinds of evidence.
const (
	KindPhoto    = "photo"    // the handover photo
	KindDocument = "document" // a scanned or typed document
)

// Kinds lists the kinds an upload may declare.
var Kinds = []string{KindPhoto, KindDocument}

// Default size limits, from the production-hardening report: images 5 MB,
// documents 10 MB. LEOC_MAX_PHOTO_MB and LEOC_MAX_DOCUMENT_MB change them;
// LEOC_MAX_UPLOAD_MB stays the hard limit of the whole request body.
const (
	DefaultPhotoLimit    = 5 << 20
	DefaultDocumentLimit = 10 << 20
)

// Content types that may be stored.
const (
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeGIF  = "image/gif"
	TypeWebP = "image/webp"
	TypePDF  = "application/pdf"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

var allowed = map[string][]string{
	KindPhoto:    {TypeJPEG, TypePNG, TypeGIF, TypeWebP},
	KindDocument: {TypePDF, TypeJPEG, TypePNG, TypeDOCX},
}

// Extension is the usual file extension of a stored content type.
func Extension(contentType string) string {
	switch contentType {
	case TypeJPEG:
		return ".jpg"
	case TypePNG:
		return ".png"
	case TypeGIF:
		return ".gif"
	case TypeWebP:
		return ".webp"
	case TypePDF:
		return ".pdf"
	case TypeDOCX:
		return ".docx"
	}
	return ""
}

// Reasons a file is refused; each is also the tail of a message key
// ("file.empty", …).
const (
	ReasonKind      = "kind"      // kind is not photo or document
	ReasonEmpty     = "empty"     // no bytes
	ReasonTooLarge  = "too_large" // over the kind's limit
	ReasonType      = "type"      // the content is not an allowed type for the kind
	ReasonCorrupt   = "corrupt"   // looks like an allowed type but does not decode
	ReasonTooBigImg = "too_many_pixels"
	ReasonUnpacked  = "unpacks_too_large" // a .docx declaring more than MaxDOCXUncompressed
)

// Reasons lists every Reason, for the message-catalog test.
var Reasons = []string{ReasonKind, ReasonEmpty, ReasonTooLarge, ReasonType, ReasonCorrupt, ReasonTooBigImg, ReasonUnpacked}

// RejectError says why an upload was refused.
type RejectError struct {
	Reason string
	Detail string // for the log, never shown
}

func (e *RejectError) Error() string {
	if e.Detail != "" {
		return "files: refused (" + e.Reason + "): " + e.Detail
	}
	return "files: refused (" + e.Reason + ")"
}

func reject(reason, detail string) error { return &RejectError{Reason: reason, Detail: detail} }

// Limits are the per-kind size limits in bytes and the pixel budget of an
// image.
type Limits struct {
	Photo, Document int64
	Pixels          int64 // width × height; 0 means DefaultMaxPixels
}

// DefaultLimits are the limits when nothing is configured.
var DefaultLimits = Limits{Photo: DefaultPhotoLimit, Document: DefaultDocumentLimit, Pixels: DefaultMaxPixels}

func (l Limits) pixels() int64 {
	if l.Pixels <= 0 {
		return DefaultMaxPixels
	}
	return l.Pixels
}

// Of returns the limit for kind.
func (l Limits) Of(kind string) int64 {
	if kind == KindPhoto {
		return l.Photo
	}
	return l.Document
}

// Checked is an upload that may be stored: its proven content type and the
// bytes to store (images without their location metadata).
type Checked struct {
	ContentType string
	Data        []byte
	SHA256      string // of Data
}

// Checker decides what may be stored. A server makes one, with one
// DecodeGate shared by every upload.
type Checker struct {
	Limits Limits
	Gate   *DecodeGate
}

// NewChecker is a Checker whose gate lets parallel decodes run at once.
func NewChecker(limits Limits, parallel int) *Checker {
	return &Checker{Limits: limits, Gate: NewDecodeGate(limits.pixels(), parallel)}
}

// Check is a check with a gate of its own, for one-off use (tools, tests).
func Check(kind string, data []byte, limits Limits) (*Checked, error) {
	return NewChecker(limits, 1).Check(context.Background(), kind, data)
}

// Check decides whether data may be stored as kind. It looks only at the
// content: the magic numbers must name an allowed type, Go's own sniffer
// must agree, images must fit the pixel budget and decode, a docx must be a
// Word document. Images are returned without EXIF/XMP metadata (which holds
// the GPS position) or JPEG comments. An error that is not a RejectError is
// ctx's: the caller gave up waiting for a decode.
func (c *Checker) Check(ctx context.Context, kind string, data []byte) (*Checked, error) {
	limits := c.Limits
	types, ok := allowed[kind]
	if !ok {
		return nil, reject(ReasonKind, kind)
	}
	if len(data) == 0 {
		return nil, reject(ReasonEmpty, "")
	}
	if int64(len(data)) > limits.Of(kind) {
		return nil, reject(ReasonTooLarge, "")
	}
	ct := magicType(data)
	if ct == "" || !contains(types, ct) {
		return nil, reject(ReasonType, "magic "+ct+", sniffed "+http.DetectContentType(data))
	}
	// The standard sniffer must agree: a file that a browser would take for
	// HTML or script is never stored, whatever its first bytes claim.
	if sniffed := http.DetectContentType(data); !sniffAgrees(ct, sniffed) {
		return nil, reject(ReasonType, "magic "+ct+", sniffed "+sniffed)
	}
	out := data
	var err error
	switch ct {
	case TypeJPEG, TypePNG, TypeGIF, TypeWebP:
		if out, err = StripMetadata(ct, data); err != nil {
			return nil, reject(ReasonCorrupt, err.Error())
		}
		if err := decodeImage(ctx, c.Gate, limits.pixels(), ct, out); err != nil {
			return nil, err
		}
	case TypePDF:
		err = checkPDF(data)
	case TypeDOCX:
		err = checkDOCX(data)
	}
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(out)
	return &Checked{ContentType: ct, Data: out, SHA256: hex.EncodeToString(sum[:])}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// magicType names the type by its magic number, or "".
func magicType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return TypeJPEG
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return TypeGIF
	case len(b) >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return TypeWebP
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return TypePDF
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return TypeDOCX // proven or refused by checkDOCX
	}
	return ""
}

func sniffAgrees(magic, sniffed string) bool {
	sniffed, _, _ = strings.Cut(sniffed, ";")
	if magic == TypeDOCX {
		return sniffed == "application/zip"
	}
	return sniffed == magic
}

// checkPDF wants the header and an end-of-file marker in the last KiB (the
// tolerance PDF readers apply), which catches truncated uploads.
func checkPDF(b []byte) error {
	tail := b[max(0, len(b)-1024):]
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return reject(ReasonCorrupt, "pdf without %%EOF")
	}
	return nil
}

// MaxDOCXUncompressed bounds the total uncompressed size a .docx declares:
// a Word file of 10 MB holds at most a few tens of MB of XML and pictures,
// and whoever opens a download should not unpack a ZIP bomb.
const MaxDOCXUncompressed = 100 << 20

// checkDOCX proves a ZIP is a Word document (not any archive, and not a
// macro-enabled one renamed .docx). Only the small content-types part is
// decompressed, so a ZIP bomb costs the server nothing; one is still refused
// by its declared sizes, and so is any member named outside the archive
// ("../", "/etc/…", "C:\…"), which an unpacking tool could write anywhere.
func checkDOCX(b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return reject(ReasonCorrupt, err.Error())
	}
	var types, doc *zip.File
	var total uint64
	for _, f := range zr.File {
		if !safeMemberName(f.Name) {
			return reject(ReasonType, "zip member name outside the archive")
		}
		if total += f.UncompressedSize64; total > MaxDOCXUncompressed || total < f.UncompressedSize64 {
			return reject(ReasonUnpacked, "docx uncompressed size over the bound")
		}
		switch f.Name {
		case "[Content_Types].xml":
			types = f
		case "word/document.xml":
			doc = f
		case "word/vbaProject.bin":
			return reject(ReasonType, "macro-enabled document")
		}
	}
	if types == nil || doc == nil {
		return reject(ReasonType, "zip without [Content_Types].xml and word/document.xml")
	}
	rc, err := types.Open()
	if err != nil {
		return reject(ReasonCorrupt, err.Error())
	}
	defer rc.Close()
	ctXML, err := io.ReadAll(io.LimitReader(rc, 256<<10))
	if err != nil {
		return reject(ReasonCorrupt, err.Error())
	}
	if !bytes.Contains(ctXML, []byte("wordprocessingml.document.main+xml")) {
		return reject(ReasonType, "content types do not name a Word document")
	}
	return nil
}

// safeMemberName refuses absolute names, drive letters, backslashes and
// any ".." element.
func safeMemberName(name string) bool {
	if name == "" || name[0] == '/' || strings.ContainsAny(name, "\\\x00") || (len(name) >= 2 && name[1] == ':') {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return false
		}
	}
	return true
}

// maxNameRunes bounds a display name.
const maxNameRunes = 120

// DisplayName turns the file name a browser sent into one that is safe to
// show and to offer as a download name: the base name only (no directories,
// whichever slash), no control or invisible formatting characters (a
// right-to-left override can make "gpj.exe" read as "exe.jpg"), NFC, at most
// 120 characters with the extension kept. The name never decides where the
// file is stored. An empty result becomes "file" plus the extension of the
// proven content type.
func DisplayName(raw, contentType string) string {
	raw = strings.ReplaceAll(raw, "\\", "/")
	name := path.Base("/" + raw)
	if name == "/" {
		name = ""
	}
	var b strings.Builder
	for _, r := range norm.NFC.String(name) {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		if r == '"' || r == '/' {
			r = '_'
		}
		b.WriteRune(r)
	}
	name = strings.Trim(strings.TrimSpace(b.String()), ".")
	if name == "" {
		return "file" + Extension(contentType)
	}
	if utf8.RuneCountInString(name) > maxNameRunes {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		stem := []rune(strings.TrimSuffix(name, ext))
		name = string(stem[:maxNameRunes-utf8.RuneCountInString(ext)]) + ext
	}
	return name
}

// IsReject reports whether err is a refusal of the content (as opposed to a
// failure of the machine).
func IsReject(err error) (*RejectError, bool) {
	var re *RejectError
	ok := errors.As(err, &re)
	return re, ok
}
