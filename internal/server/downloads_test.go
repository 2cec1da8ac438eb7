package server

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/gif"
	"net/http"
	"os"
	"strings"
	"testing"

	"leoc/internal/leoc"
)

func gifFile(t *testing.T) []byte {
	var b bytes.Buffer
	pal := image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.Black, color.White})
	if err := gif.Encode(&b, pal, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const pdfFile = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

// TestDownloadHeadersEveryKind: every stored kind is served with its proven
// type, nosniff and a sandboxing Content-Security-Policy; kinds a browser
// would render with a plug-in or viewer of its own (PDF, Word) download as
// attachments. A PDF used to go out with no policy at all.
func TestDownloadHeadersEveryKind(t *testing.T) {
	webp, err := os.ReadFile("../files/testdata/tiny.webp")
	if err != nil {
		t.Fatal(err)
	}
	e, _ := uploadEnv(t, backendSQLite())
	officer := e.tokens[leoc.RoleOfficer]
	for _, tc := range []struct {
		kind, name, ctype, disposition string
		data                           []byte
	}{
		{"photo", "a.jpg", "image/jpeg", "inline", jpegFile(t)},
		{"photo", "a.png", "image/png", "inline", pngFile(t)},
		{"photo", "a.gif", "image/gif", "inline", gifFile(t)},
		{"photo", "a.webp", "image/webp", "inline", webp},
		{"document", "a.pdf", "application/pdf", "attachment", []byte(pdfFile)},
		{"document", "a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "attachment", docxFile(t, true)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := e.upload(t, "/api/v1/test-records/1/files", officer, tc.kind, tc.name, tc.data)
			if res.Code != http.StatusCreated {
				t.Fatalf("upload: %d %s", res.Code, res.Body)
			}
			var a attachmentJSON
			if err := json.Unmarshal([]byte(res.Body), &a); err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{"/api/v1/files/", "/files/"} {
				w := e.do(req{method: "GET", path: path + idString(a.ID), token: e.tokens[leoc.RoleAdmin]})
				h := w.Header()
				if w.Code != http.StatusOK {
					t.Fatalf("GET %s: %d", path, w.Code)
				}
				if got := h.Get("Content-Type"); got != tc.ctype {
					t.Errorf("Content-Type %q, want %q", got, tc.ctype)
				}
				if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("X-Content-Type-Options %q", got)
				}
				csp := h.Get("Content-Security-Policy")
				for _, want := range []string{"sandbox", "default-src 'none'"} {
					if !strings.Contains(csp, want) {
						t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
					}
				}
				if strings.Contains(csp, "script-src") || strings.Contains(csp, "allow-scripts") {
					t.Errorf("Content-Security-Policy %q lets scripts run", csp)
				}
				if got := h.Get("Content-Disposition"); !strings.HasPrefix(got, tc.disposition+";") {
					t.Errorf("Content-Disposition %q, want %s", got, tc.disposition)
				}
				if got := h.Get("Cross-Origin-Resource-Policy"); got != "same-origin" {
					t.Errorf("Cross-Origin-Resource-Policy %q", got)
				}
			}
		})
	}
}
