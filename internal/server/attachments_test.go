package server

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"html/template"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"leoc/internal/config"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

func pngFile(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegFile(t *testing.T) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func docxFile(t *testing.T, withDocument bool) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	parts := map[string]string{"[Content_Types].xml": `<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`}
	if withDocument {
		parts["word/document.xml"] = "<w:document/>"
	}
	for name, body := range parts {
		w := must.Get(zw.Create(name))(t)
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// upload is one multipart request: fields, and a file unless name is "-".
func multipartBody(t testing.TB, fields map[string]string, name string, data []byte) (body, contentType string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if name != "-" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String(), mw.FormDataContentType()
}

// uploadEnv is a server whose uploads go to a fresh directory, with the
// test register of records_test.go taking files through the same handlers
// as distributions.
func uploadEnv(t testing.TB, b storetest.Backend, mod ...func(*config.Config)) (*testEnv, string) {
	dir := t.TempDir()
	e := newEnv(t, b, append([]func(*config.Config){func(c *config.Config) { c.UploadDir = dir }}, mod...)...)
	addTestRegister(t, e)
	e.s.routes = append(e.s.routes,
		route{pattern: "POST /api/v1/test-records/{id}/files", access: authenticated, perm: leoc.PermWriteRecords, h: e.s.apiUploadTo("test-records")},
		route{pattern: "POST /test-records/{id}/files", access: authenticated, perm: leoc.PermWriteRecords, h: e.s.uploadFormTo("test-records")},
	)
	e.s.handler = e.s.buildHandler()
	return e, dir
}

func countUploads(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func countAttachmentRows(t *testing.T, e *testEnv) int {
	t.Helper()
	var n int
	if err := e.st.QueryRow(context.Background(), "SELECT COUNT(*) FROM attachments").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *testEnv) upload(t testing.TB, path, token, kind, name string, data []byte) *httpResponse {
	body, ct := multipartBody(t, map[string]string{"kind": kind}, name, data)
	w := e.do(req{method: "POST", path: path, body: body, contentType: ct, token: token, header: map[string]string{"Accept-Language": "en"}})
	return &httpResponse{Code: w.Code, Header: w.Header(), Body: w.Body.String()}
}

type httpResponse struct {
	Code   int
	Header http.Header
	Body   string
}

func TestUploadAndDownload(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			e, dir := uploadEnv(t, b)
			officer, reader := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleFinance] // a reader who sees personal data
			img := pngFile(t)
			// Record 1 is locked, as every saved record is: evidence is still accepted.
			res := e.upload(t, "/api/v1/test-records/1/files", officer, "photo", "हस्तान्तरण\u202e.png", img)
			if res.Code != http.StatusCreated {
				t.Fatalf("upload: %d %s", res.Code, res.Body)
			}
			var got attachmentJSON
			if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
				t.Fatal(err)
			}
			if got.ID == 0 || got.ContentType != "image/png" || got.Size != int64(len(img)) || got.Kind != "photo" || got.Name != "हस्तान्तरण.png" {
				t.Fatalf("answer: %+v", got)
			}
			if countUploads(t, dir) != 1 {
				t.Fatalf("%d stored files", countUploads(t, dir))
			}
			audit, _ := must.Get2(e.st.ListAudit(t.Context(), store.AuditFilter{Action: "file.upload"}))(t)
			if len(audit) != 1 || audit[0].EntityID != "1" || audit[0].Entity != "test-records" {
				t.Fatalf("audit: %+v", audit)
			}
			// Download: any reader, right headers, same bytes.
			for _, path := range []string{"/api/v1/files/", "/files/"} {
				w := e.do(req{method: "GET", path: path + idString(got.ID), token: reader})
				h := w.Header()
				if w.Code != 200 || h.Get("Content-Type") != "image/png" || h.Get("X-Content-Type-Options") != "nosniff" ||
					!strings.HasPrefix(h.Get("Cache-Control"), "private") || !bytes.Equal(w.Body.Bytes(), img) {
					t.Fatalf("download %s: %d %v", path, w.Code, h)
				}
				if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, "inline;") || !strings.Contains(cd, "filename*=UTF-8''%E0%A4%B9") {
					t.Fatalf("disposition %q", cd)
				}
				if !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
					t.Fatalf("CSP %q", h.Get("Content-Security-Policy"))
				}
			}
			if w := e.do(req{method: "GET", path: "/api/v1/files/" + idString(got.ID), token: reader, header: map[string]string{"If-None-Match": `"` + got.SHA256 + `"`}}); w.Code != http.StatusNotModified {
				t.Fatalf("etag: %d", w.Code)
			}
			// A Word file downloads instead of opening.
			res = e.upload(t, "/api/v1/test-records/2/files", officer, "document", "minutes.docx", docxFile(t, true))
			if res.Code != http.StatusCreated {
				t.Fatalf("docx: %d %s", res.Code, res.Body)
			}
			must.OK(t, json.Unmarshal([]byte(res.Body), &got))
			w := e.do(req{method: "GET", path: "/api/v1/files/" + idString(got.ID), token: reader})
			if w.Header().Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" ||
				w.Header().Get("Content-Disposition") != `attachment; filename="minutes.docx"; filename*=UTF-8''minutes.docx` {
				t.Fatalf("docx download: %v", w.Header())
			}
			// Who may do what.
			if w := e.do(req{method: "GET", path: "/api/v1/files/" + idString(got.ID)}); w.Code != http.StatusUnauthorized {
				t.Fatalf("anonymous download: %d", w.Code)
			}
			if w := e.do(req{method: "GET", path: "/files/" + idString(got.ID)}); w.Code != http.StatusSeeOther {
				t.Fatalf("anonymous page download: %d", w.Code)
			}
			if w := e.do(req{method: "GET", path: "/api/v1/files/999", token: reader}); w.Code != http.StatusNotFound {
				t.Fatalf("missing file: %d", w.Code)
			}
			for _, role := range []leoc.Role{leoc.RoleViewer, leoc.RoleFinance} {
				if res := e.upload(t, "/api/v1/test-records/1/files", e.tokens[role], "photo", "a.png", img); res.Code != http.StatusForbidden {
					t.Fatalf("%s upload: %d", role, res.Code)
				}
			}
			if res := e.upload(t, "/api/v1/test-records/1/files", e.tokens[leoc.RoleAdmin], "photo", "a.png", img); res.Code != http.StatusCreated {
				t.Fatalf("admin upload: %d", res.Code)
			}
			if countUploads(t, dir) != 3 || countAttachmentRows(t, e) != 3 {
				t.Fatalf("files %d rows %d", countUploads(t, dir), countAttachmentRows(t, e))
			}
			list := e.s.attachmentsFor(httpRequestWithState(), "test-records", 1)
			if len(list) != 2 || list[0].Name != "हस्तान्तरण.png" {
				t.Fatalf("attachmentsFor: %+v", list)
			}
		})
	}
}

func httpRequestWithState() *http.Request {
	r := httptest.NewRequest("GET", "/", nil)
	return withState(r, &reqState{id: "test"})
}

func TestUploadRefusesBadInputAndLeavesNothing(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			e, dir := uploadEnv(t, b)
			officer := e.tokens[leoc.RoleOfficer]
			jpg := jpegFile(t)
			big := append(pngFile(t), bytes.Repeat([]byte{0}, 5<<20)...)
			limited := &leoc.User{Username: "ward5", Role: leoc.RoleOfficer, Wards: []int{5}}
			if err := e.st.CreateUser(t.Context(), store.SystemActor, limited, "x"); err != nil {
				t.Fatal(err)
			}
			cases := []struct {
				name, path, token, kind, file string
				data                          []byte
				status                        int
				text                          string
			}{
				{"html named photo.png", "/api/v1/test-records/1/files", officer, "photo", "photo.png", []byte("<html><body><script>alert(1)</script></body></html>"), 400, "not accepted"},
				{"svg named x.png", "/api/v1/test-records/1/files", officer, "photo", "x.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 400, "not accepted"},
				{"pdf as image", "/api/v1/test-records/1/files", officer, "photo", "x.jpg", []byte("%PDF-1.4\n%%EOF\n"), 400, "not accepted"},
				{"truncated jpeg", "/api/v1/test-records/1/files", officer, "photo", "x.jpg", jpg[:len(jpg)/2], 400, "damaged"},
				{"zip without document", "/api/v1/test-records/1/files", officer, "document", "x.docx", docxFile(t, false), 400, "not accepted"},
				{"empty", "/api/v1/test-records/1/files", officer, "photo", "x.png", nil, 400, "empty"},
				{"no file field", "/api/v1/test-records/1/files", officer, "photo", "-", nil, 400, "Choose a file"},
				{"path in the file name", "/api/v1/test-records/1/files", officer, "photo", "../../etc/x.png", pngFile(t), 400, "folder path"},
				{"unknown kind", "/api/v1/test-records/1/files", officer, "avatar", "x.png", pngFile(t), 400, "photo or a document"},
				{"photo over 5 MB", "/api/v1/test-records/1/files", officer, "photo", "x.png", big, 413, "photos may be up to 5 MB"},
				{"unknown record", "/api/v1/test-records/99/files", officer, "photo", "x.png", pngFile(t), 404, ""},
				{"other ward", "/api/v1/test-records/1/files", e.newToken(limited), "photo", "x.png", pngFile(t), 403, ""},
				{"no such distribution", "/api/v1/distributions/999999/files", officer, "photo", "x.png", pngFile(t), 404, ""},
			}
			for _, c := range cases {
				res := e.upload(t, c.path, c.token, c.kind, c.file, c.data)
				if res.Code != c.status || !strings.Contains(res.Body, c.text) {
					t.Errorf("%s: %d %s", c.name, res.Code, res.Body)
				}
			}
			// Not multipart at all.
			if w := e.do(req{method: "POST", path: "/api/v1/test-records/1/files", body: `{"file":"x"}`, token: officer}); w.Code != 400 {
				t.Errorf("json body: %d", w.Code)
			}
			if n, rows := countUploads(t, dir), countAttachmentRows(t, e); n != 0 || rows != 0 {
				t.Fatalf("bad input left %d files and %d rows", n, rows)
			}
			audit, _ := must.Get2(e.st.ListAudit(t.Context(), store.AuditFilter{Action: "file."}))(t)
			if len(audit) != 0 {
				t.Fatalf("audit of refused uploads: %+v", audit)
			}
		})
	}
}

func TestUploadOverBodyLimitIs413(t *testing.T) {
	e, dir := uploadEnv(t, backendSQLite(), func(c *config.Config) { c.MaxUploadMB = 1 })
	big := append(pngFile(t), bytes.Repeat([]byte{0}, 2<<20)...)
	res := e.upload(t, "/api/v1/test-records/1/files", e.tokens[leoc.RoleOfficer], "photo", "x.png", big)
	if res.Code != http.StatusRequestEntityTooLarge || countUploads(t, dir) != 0 {
		t.Fatalf("%d %s, %d files", res.Code, res.Body, countUploads(t, dir))
	}
}

func TestUploadRemovesStoredFileWhenInsertFails(t *testing.T) {
	e, dir := uploadEnv(t, backendSQLite())
	if err := e.st.WithTx(t.Context(), func(tx *store.Tx) error {
		_, err := tx.Exec(t.Context(), "DROP TABLE attachments")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	res := e.upload(t, "/api/v1/test-records/1/files", e.tokens[leoc.RoleOfficer], "photo", "x.png", pngFile(t))
	if res.Code != http.StatusInternalServerError {
		t.Fatalf("%d %s", res.Code, res.Body)
	}
	if n := countUploads(t, dir); n != 0 {
		t.Fatalf("%d files left behind", n)
	}
}

func TestUploadForm(t *testing.T) {
	e, dir := uploadEnv(t, backendSQLite())
	cookies, csrf := e.login("officer1")
	post := func(kind, name string, data []byte, token string) *httpResponse {
		body, ct := multipartBody(t, map[string]string{"kind": kind, "csrf_token": token}, name, data)
		w := e.do(req{method: "POST", path: "/test-records/1/files", body: body, contentType: ct, cookies: cookies})
		return &httpResponse{Code: w.Code, Header: w.Header(), Body: w.Body.String()}
	}
	res := post("photo", "handover.jpg", jpegFile(t), csrf)
	if res.Code != http.StatusSeeOther || res.Header.Get("Location") != "/test-records/1" || !strings.Contains(strings.Join(res.Header.Values("Set-Cookie"), ";"), "success:file.uploaded") {
		t.Fatalf("form upload: %d %v", res.Code, res.Header)
	}
	res = post("photo", "photo.png", []byte("<html>hi</html>"), csrf)
	if res.Code != http.StatusSeeOther || !strings.Contains(strings.Join(res.Header.Values("Set-Cookie"), ";"), "error:file.type") {
		t.Fatalf("bad form upload: %d %v", res.Code, res.Header)
	}
	if res := post("photo", "x.jpg", jpegFile(t), "wrong"); res.Code != http.StatusForbidden {
		t.Fatalf("no CSRF: %d", res.Code)
	}
	if countUploads(t, dir) != 1 {
		t.Fatalf("%d files", countUploads(t, dir))
	}
}

func TestAttachmentsPartial(t *testing.T) {
	e := newEnv(t, backendSQLite())
	files := []store.Attachment{
		{ID: 7, Kind: "photo", Name: "हस्तान्तरण.jpg", ContentType: "image/jpeg", Size: 2400, CreatedBy: "officer1", CreatedAt: time.Now()},
		{ID: 8, Kind: "document", Name: "<b>minutes</b>.pdf", ContentType: "application/pdf", Size: 3 << 20, CreatedBy: "officer1", CreatedAt: time.Now()},
	}
	render := func(u *leoc.User) string {
		var buf bytes.Buffer
		p := &page{s: e.s, Lang: "en", User: u, CSRF: "tok123"}
		tpl := template.Must(e.s.pages["home"].Clone())
		if err := tpl.ExecuteTemplate(&buf, "attachments", map[string]any{"Page": p, "Register": "distributions", "ID": int64(5), "Files": files}); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	html := render(e.users[leoc.RoleOfficer])
	for _, want := range []string{`<img src="/files/7"`, `href="/files/8"`, `&lt;b&gt;minutes&lt;/b&gt;.pdf`, `action="/distributions/5/files"`,
		`enctype="multipart/form-data"`, `name="csrf_token" value="tok123"`, `capture="environment"`, `name="kind" value="document"`, "3.0 MB", "2 KB"} {
		if !strings.Contains(html, want) {
			t.Errorf("officer view lacks %q", want)
		}
	}
	if strings.Contains(html, "style=") || strings.Contains(html, "<script") {
		t.Error("inline style or script breaks the CSP")
	}
	if html := render(e.users[leoc.RoleViewer]); strings.Contains(html, "<form") || !strings.Contains(html, `/files/7`) {
		t.Error("viewer sees an upload form or no files")
	}
}

func TestUploadLimitsAreConfigurable(t *testing.T) {
	e, dir := uploadEnv(t, backendSQLite(), func(c *config.Config) { c.MaxPhotoMB = 1 })
	photo := append(pngFile(t), bytes.Repeat([]byte{0}, 1<<20)...)
	res := e.upload(t, "/api/v1/test-records/1/files", e.tokens[leoc.RoleOfficer], "photo", "x.png", photo)
	if res.Code != http.StatusRequestEntityTooLarge || !strings.Contains(res.Body, "up to 1 MB") || countUploads(t, dir) != 0 {
		t.Fatalf("photo over LEOC_MAX_PHOTO_MB=1: %d %s", res.Code, res.Body)
	}
	// The same bytes are a fine document (documents keep their 10 MB).
	doc := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{' '}, 1<<20)...)
	doc = append(doc, []byte("\n%%EOF\n")...)
	if res := e.upload(t, "/api/v1/test-records/1/files", e.tokens[leoc.RoleOfficer], "document", "x.pdf", doc); res.Code != http.StatusCreated {
		t.Fatalf("document of 1 MB: %d %s", res.Code, res.Body)
	}
}
