package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/png"
	"mime/multipart"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"leoc/internal/loadgen"
	"leoc/internal/store/storetest"
)

// token creates an API token for user on the instance, as a sysadmin would.
func (in *instance) token(user string) string {
	in.t.Helper()
	code, out, errs := in.run("", "token", "create", "--user", user)
	if code != 0 {
		in.t.Fatalf("token create: %d %s", code, errs)
	}
	return strings.TrimSpace(out)
}

func TestBackupUnderLoadSQLite(t *testing.T) {
	testBackupUnderLoad(t, nil, nil)
}

// On PostgreSQL the restore goes into another database of the same server,
// made for the test, with the same schema name.
func TestBackupUnderLoadPostgres(t *testing.T) {
	src := storetest.PostgresURL(t)
	u, err := url.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("pgx", src)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() }) // after the drop below: cleanups run last-in first-out
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	db := "leoc_restore_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + db); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE " + db + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database: %v", err)
		}
	})
	dst := *u
	dst.Path = "/" + db
	testBackupUnderLoad(t, []string{"LEOC_DATABASE_URL=" + src}, []string{"LEOC_DATABASE_URL=" + dst.String()})
}

// testBackupUnderLoad: clients keep creating records while leoc backup
// runs; the archive verifies, restores elsewhere (refusing to overwrite
// without --force), and the restored instance has every record whose 201
// arrived before the backup started, intact, and the uploaded photo.
func testBackupUnderLoad(t *testing.T, srcEnv, dstEnv []string) {
	in := newInstance(t, srcEnv...)
	base, _, stop := in.serve()
	defer stop()
	c := loadgen.New(base, in.token("admin"))
	ctx := context.Background()
	distID, photo := createDistributionWithPhoto(t, c)

	wctx, cancel := context.WithCancel(ctx)
	w := loadgen.Start(wctx, c, 4, "backup")
	for w.Acked() < 40 {
		time.Sleep(10 * time.Millisecond)
	}
	archive := filepath.Join(t.TempDir(), "leoc-backup.tar.gz")
	backupStart := time.Now()
	code, out, errs := in.run("", "backup", "--to", archive)
	before := w.Acked()
	// Writes keep coming after it, too: wait for at least one more.
	for deadline := time.Now().Add(30 * time.Second); w.Acked() <= before && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	acked, attempts := w.Stop()
	if code != 0 || !strings.Contains(out, "backup written to") || !strings.Contains(out, "1 files") {
		t.Fatalf("backup: %d %s %s", code, out, errs)
	}
	if len(acked) <= before {
		t.Fatalf("no write was acknowledged while or after the backup ran (%d before, %d in all): the test proves nothing", before, len(acked))
	}
	t.Logf("%d creates attempted, %d acknowledged, %d before the backup started", attempts, len(acked), before)

	if code, out, errs := in.run("", "backup", "verify", archive); code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("backup verify: %d %s %s", code, out, errs)
	}
	if code, _, errs := in.run("", "backup", "--to", archive); code != 1 || !strings.Contains(errs, "exists") {
		t.Fatalf("a second backup over the first: %d %s", code, errs)
	}
	// Restoring over the running source is refused without --force.
	if code, _, errs := in.run("", "restore", "--from", archive); code != 1 || !strings.Contains(errs, "already holds data") {
		t.Fatalf("restore over existing data: %d %s", code, errs)
	}

	dst := newInstance(t, dstEnv...)
	if code, out, errs := dst.run("", "restore", "--from", archive); code != 0 || !strings.Contains(out, "and 1 files") {
		t.Fatalf("restore: %d %s %s", code, out, errs)
	}
	dbase, _, dstop := dst.serve()
	defer dstop()
	dc := loadgen.New(dbase, c.Token) // the token came along with the database
	checked := 0
	for _, r := range acked {
		if !r.Acked.Before(backupStart) {
			continue
		}
		checked++
		got, err := dc.EventLog(ctx, r.ID)
		if err != nil || got != r.Description {
			t.Errorf("record %d acknowledged before the backup: %q, %v", r.ID, got, err)
		}
	}
	if checked < 40 {
		t.Fatalf("only %d records acknowledged before the backup were checked", checked)
	}
	if code, body, err := dc.Do(ctx, "GET", "/api/v1/distributions/"+distID, "", nil); err != nil || code != 200 {
		t.Fatalf("restored distribution: %d %v", code, err)
	} else if !strings.Contains(string(body), "राम बहादुर थापा") {
		t.Fatalf("restored distribution lost its household: %s", body)
	}
	code, body, err := dc.Do(ctx, "GET", photo.url, "", nil)
	if err != nil || code != 200 || sha256.Sum256(body) != photo.sum {
		t.Fatalf("restored photo: %d %v, %d bytes", code, err, len(body))
	}
}

type storedPhoto struct {
	url string
	sum [32]byte
}

// createDistributionWithPhoto makes one relief distribution with a photo
// through the API.
func createDistributionWithPhoto(t *testing.T, c *loadgen.Client) (string, storedPhoto) {
	t.Helper()
	ctx := context.Background()
	code, body, err := c.Do(ctx, "POST", "/api/v1/distributions", "application/json", []byte(`{"household_name":"राम बहादुर थापा","household_id":"12-34/567",
		"disaster_type":"landslide","disaster_date_bs":"2082-10-01","date_bs":"2082-10-05","ward":3,"tole":"खोली",
		"members":[{"name":"राम","relation":"self","age":45,"sex":"male"}],"items":[{"item":"rice","quantity":30}]}`))
	var d struct{ ID json.Number }
	if err != nil || code != 201 || json.Unmarshal(body, &d) != nil {
		t.Fatalf("create distribution: %d %v %s", code, err, body)
	}
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 6))); err != nil {
		t.Fatal(err)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	_ = mw.WriteField("kind", "photo")
	fw, _ := mw.CreateFormFile("file", "handover.png")
	_, _ = fw.Write(img.Bytes())
	mw.Close()
	code, body, err = c.Do(ctx, "POST", "/api/v1/distributions/"+d.ID.String()+"/files", mw.FormDataContentType(), form.Bytes())
	var a struct{ URL string }
	if err != nil || code != 201 || json.Unmarshal(body, &a) != nil || a.URL == "" {
		t.Fatalf("upload photo: %d %v %s", code, err, body)
	}
	code, stored, err := c.Do(ctx, "GET", a.URL, "", nil)
	if err != nil || code != 200 {
		t.Fatalf("read photo: %d %v", code, err)
	}
	return d.ID.String(), storedPhoto{url: a.URL, sum: sha256.Sum256(stored)}
}

// A damaged archive fails verification and restores nothing; one cut short
// has no manifest.
func TestBackupVerifyFindsDamage(t *testing.T) {
	in := newInstance(t)
	in.migrate()
	archive := filepath.Join(t.TempDir(), "b.tar.gz")
	if code, _, errs := in.run("", "backup", "--to", archive); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	data, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string][]byte{
		"cut short": data[:len(data)/2],
		"flipped":   flipByte(data, len(data)/3),
	} {
		p := filepath.Join(t.TempDir(), "bad.tar.gz")
		if err := os.WriteFile(p, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		if code, out, _ := in.run("", "backup", "verify", p); code != 1 || strings.Contains(out, "OK") {
			t.Errorf("verify of a %s archive: exit %d %s", name, code, out)
		}
		dst := newInstance(t)
		if code, _, _ := dst.run("", "restore", "--from", p); code != 1 {
			t.Errorf("restore of a %s archive: exit %d", name, code)
		}
		if _, err := os.Stat(filepath.Join(dst.dir, "data", "leoc.db")); err == nil {
			t.Errorf("restore of a %s archive wrote a database", name)
		}
	}
	// --force restores over existing data and keeps the old file aside.
	if code, _, errs := in.run("", "restore", "--from", archive, "--force"); code != 0 {
		t.Fatalf("restore --force: %s", errs)
	}
	old, _ := filepath.Glob(filepath.Join(in.dir, "data", "leoc.db.pre-restore-*"))
	if len(old) == 0 {
		t.Fatal("restore --force did not keep the old database aside")
	}
}

func flipByte(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0xff
	return c
}
