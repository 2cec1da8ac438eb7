package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"leoc/internal/bs"
	"leoc/internal/cli"
)

// The fund receives income; an officer on a phone records a distribution
// to a household of two with one relief item and cash, adds the handover
// photo, prints the receipt, and the fund balance drops by exactly that cash.
func TestDistributionThroughTheForm(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	const password = "rahat-2082-kholi"
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), []string{"user", "add", "--username", "ward3", "--role", "officer", "--wards", "3", "--password-stdin"},
		cli.Env{Environ: a.Environ, Stdin: strings.NewReader(password + "\n"), Stdout: &out, Stderr: &errOut, ReadFile: os.ReadFile})
	if code != 0 {
		t.Fatalf("leoc user add: %d %s", code, errOut.String())
	}

	// The rice the household receives is in the municipal store, which the
	// form proposes (ward 3 has no store of its own here).
	today, err := bs.Default().Today(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	postJSON(t, a, createToken(t, a), "/api/v1/inventory/receipts",
		`{"warehouse_id":1,"date_bs":"`+today.String()+`","source":"donation","lines":[{"item":"rice","quantity":100}]}`)

	// The admin (who has the finance permission) records income.
	admin := newBrowser(t, chromium, a)
	admin.open(t, "/login")
	admin.login(t, "admin", a.AdminPassword)
	admin.open(t, "/funds")
	admin.do(t, "open the entry form", chromedp.Click(chromedp.CSS("details.card summary")))
	admin.fill(t, "#f-amount", "२०,०००", "#f-description", "प्रदेश सरकारबाट राहत अनुदान")
	if st := admin.press(t, `form[action="/funds"] button[type=submit]`); st != 200 {
		t.Fatalf("income: %d (%s)", st, admin.text(t, "main"))
	}
	admin.wantText(t, "#fund-balance", "रु. २०,०००.००")

	b := newBrowser(t, chromium, a)
	b.do(t, "emulate a phone", chromedp.EmulateViewport(360, 740, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.open(t, "/login")
	b.login(t, "ward3", password)
	if st := b.open(t, "/distributions/new"); st != 200 {
		t.Fatalf("GET /distributions/new: %d", st)
	}
	date := run(t, b, "read the date", chromedp.Value(chromedp.CSS("#f-date_bs")))
	b.fill(t, "#f-household_name", "राम बहादुर थापा", "#f-household_id", "६६-०१-१२३४", "#f-father_name", "हरि थापा",
		"#f-disaster_date_bs", date, "#f-tole", "खोली", "#f-cash", "३,५००")
	b.do(t, "choose the disaster type", chromedp.SetValue(chromedp.CSS("#f-disaster_type"), "flood"))
	if ward := run(t, b, "read the ward", chromedp.Value(chromedp.CSS("#f-ward"))); ward != "3" {
		t.Errorf("a ward-3 secretary's form offers ward %q", ward)
	}
	// A fourth member row from the "add" button, then removed again.
	b.do(t, "add a member row", chromedp.Click(chromedp.CSS(`[data-add-row="member"]`)))
	rows := run(t, b, "count member rows", chromedp.Evaluate[int](`document.querySelectorAll('[data-rows="member"] [data-row]').length`))
	if rows != 4 {
		t.Fatalf("%d member rows after add, want 4", rows)
	}
	b.do(t, "remove it", chromedp.Click(chromedp.CSS(`[data-rows="member"] [data-row]:last-child [data-remove-row]`)))
	member := func(n int, field string) string {
		return `[data-rows="member"] [data-row]:nth-child(` + string(rune('0'+n)) + `) [name="member_` + field + `"]`
	}
	b.fill(t, member(1, "name"), "राम बहादुर थापा", member(1, "relation"), "घरमूली", member(1, "age"), "४५",
		member(2, "name"), "Sita Thapa", member(2, "relation"), "श्रीमती", member(2, "age"), "40")
	b.do(t, "sexes", chromedp.SetValue(chromedp.CSS(member(1, "sex")), "male"), chromedp.SetValue(chromedp.CSS(member(2, "sex")), "female"))
	item := `[data-rows="item"] [data-row]:nth-child(1) `
	b.do(t, "choose rice", chromedp.SetValue(chromedp.CSS(item+`[name="item_item"]`), "rice"))
	b.fill(t, item+`[name="item_quantity"]`, "२५")
	wide := run(t, b, "measure the form", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if wide > 360 {
		t.Errorf("the distribution form is %d px wide on a 360 px phone", wide)
	}
	b.screenshot(t, "distribution-form")
	if st := b.press(t, `form.distribution-form button[type=submit]`); st != 200 {
		t.Fatalf("save: status %d (%s)", st, b.text(t, "main"))
	}
	detail := b.path(t)
	if !strings.HasPrefix(detail, "/distributions/") {
		t.Fatalf("after saving the browser is on %s", detail)
	}
	b.wantText(t, "main", "राम बहादुर थापा", "Sita Thapa", "चामल", "रु. ३,५००.००", "बाढी")
	b.wantTranslated(t)

	// The handover photo, through the evidence upload form.
	photo := filepath.Join(t.TempDir(), "handover.png")
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		img.Set(x, 10, color.RGBA{200, 30, 30, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(photo, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b.do(t, "choose the photo", chromedp.SetUploadFiles(chromedp.CSS("#file-photo"), []string{photo}))
	if st := b.press(t, `#upload-photo button[type=submit]`); st != 200 {
		t.Fatalf("upload: status %d (%s)", st, b.text(t, "main"))
	}
	b.wantText(t, ".attachments", "handover.png")

	if st := b.open(t, detail+"/print"); st != 200 {
		t.Fatalf("print: %d", st)
	}
	b.wantText(t, "main", "राहत हस्तान्तरण भरपाई", "बायाँ ल्याप्चे", "रु. ३,५००.००", "राम बहादुर थापा", "Sita Thapa")
	b.screenshot(t, "receipt")

	b.open(t, "/funds")
	b.wantText(t, "#fund-balance", "रु. १६,५००.००")
	b.wantText(t, "main", "राहत वितरण दर्ता नं.")
	b.wantClean(t)
}
