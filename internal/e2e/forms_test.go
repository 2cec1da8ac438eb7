package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// phone emulates the 390 px wide phone a ward clerk carries.
func (b *browser) phone(t *testing.T) {
	t.Helper()
	b.do(t, "emulate a 390 px phone", chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
}

// apiPost sends a JSON body with the token and fails unless it is created.
func apiPost(t *testing.T, a *app, token, path string, body map[string]any) {
	t.Helper()
	j, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", a.URL+path, bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		t.Fatalf("POST %s: %d %s", path, resp.StatusCode, b.String())
	}
}

// visible reports whether the first element matching sel is displayed.
func (b *browser) visible(t *testing.T, sel string) bool {
	t.Helper()
	return run(t, b, "is "+sel+" shown", chromedp.Evaluate[bool](`(() => { const e = document.querySelector(`+jsString(sel)+
		`); return !!e && getComputedStyle(e).display !== 'none' && !e.closest('[hidden]'); })()`))
}

func jsString(s string) string {
	j, _ := json.Marshal(s) // a Go string always encodes
	return string(j)
}

// pick types into the incident picker, waits for the options, checks they
// show want and not notWant, and chooses the first with the keyboard.
func (b *browser) pick(t *testing.T, text, want, notWant string) {
	t.Helper()
	search := "#f-incident_id-search"
	if role := run(t, b, "read the picker's role", chromedp.AttributeValue(chromedp.CSS(search), "role")); role.Value != "combobox" {
		t.Fatalf("the incident search box has role %q", role.Value)
	}
	if v := run(t, b, "read the search box", chromedp.Value(chromedp.CSS(search))); v != "" {
		t.Fatalf("the search box holds %q before typing", v)
	}
	b.do(t, "type into the picker", chromedp.SendKeys(chromedp.CSS(search), text),
		chromedp.WaitVisible(chromedp.CSS(`.picker-list [role="option"]`)))
	options := b.text(t, ".picker-list")
	if !strings.Contains(options, want) || (notWant != "" && strings.Contains(options, notWant)) {
		t.Fatalf("picker for %q offers %q; want %q and not %q", text, options, want, notWant)
	}
	if ex := run(t, b, "aria-expanded", chromedp.AttributeValue(chromedp.CSS(search), "aria-expanded")); ex.Value != "true" {
		t.Errorf("open picker has aria-expanded=%q", ex.Value)
	}
	b.do(t, "arrow down and enter", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitNotVisible(chromedp.CSS(".picker-list")))
}

// TestIncidentPickerAndReceipt: on a phone, in Nepali and in English, the
// clerk finds the incident among many by typing ward, type, date or tole
// and chooses it with the keyboard; the distribution saves with it; an
// oversized photo is stopped in the browser with the limit shown; the
// receipt reads as a Nepali receipt should, names who collected, and has a
// Print button that print CSS hides.
func TestIncidentPickerAndReceipt(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	token := createToken(t, a)
	for _, inc := range []map[string]any{
		{"date_bs": "2082-05-03", "type": "flood", "ward": 4, "tole": "कोटफेरा"},
		{"date_bs": "2082-06-10", "type": "landslide", "ward": 3, "tole": "बिष्खेत"},
		{"date_bs": "2082-05-20", "type": "fire", "ward": 4, "tole": "खोली"},
	} {
		apiPost(t, a, token, "/api/v1/incidents", inc)
	}
	// The rice handed out below is in the municipal store the form proposes.
	apiPost(t, a, token, "/api/v1/inventory/receipts", map[string]any{"warehouse_id": 1, "date_bs": "2082-05-01", "source": "donation",
		"lines": []map[string]any{{"item": "rice", "quantity": 100}}})
	b := newBrowser(t, chromium, a)
	b.phone(t)
	b.open(t, "/login")
	b.login(t, "admin", a.AdminPassword)
	if st := b.open(t, "/distributions/new"); st != 200 {
		t.Fatalf("GET /distributions/new: %d", st)
	}
	b.wantText(t, "#incident-hint", "वडा, मिति")
	// Escape closes the list without choosing.
	b.do(t, "search for a tole", chromedp.SendKeys(chromedp.CSS("#f-incident_id-search"), "खोली"),
		chromedp.WaitVisible(chromedp.CSS(`.picker-list [role="option"]`)), chromedp.KeyEvent(kb.Escape),
		chromedp.WaitNotVisible(chromedp.CSS(".picker-list")))
	if id := run(t, b, "nothing chosen", chromedp.Evaluate[string](`document.querySelector('input[name="incident_id"]').value`)); id != "" {
		t.Fatalf("Escape chose incident %q", id)
	}
	// A second Escape empties the search box.
	b.do(t, "escape again", chromedp.KeyEvent(kb.Escape))
	// Ward and type in Nepali words and digits.
	b.pick(t, "४ बाढी", "कोटफेरा", "बिष्खेत")
	if id := run(t, b, "read the chosen incident", chromedp.Evaluate[string](`document.querySelector('input[name="incident_id"]').value`)); id != "1" {
		t.Fatalf("chosen incident %q, want 1", id)
	}
	b.wantText(t, ".picker-chosen", "#१", "कोटफेरा", "बाढी")
	if p := b.path(t); p != "/distributions/new" {
		t.Fatalf("Enter in the picker left the form for %s", p)
	}
	b.fill(t, "#f-household_name", "राम बहादुर थापा", "#f-household_id", "६६-०१-१२३४", "#f-received_by", "श्याम थापा", "#f-tole", "कोटफेरा")
	b.do(t, "choose the ward", chromedp.SetValue(chromedp.CSS("#f-ward"), "4"))
	item := `[data-rows="item"] [data-row]:nth-child(1) `
	b.do(t, "choose rice", chromedp.SetValue(chromedp.CSS(item+`[name="item_item"]`), "rice"))
	b.fill(t, item+`[name="item_quantity"]`, "२५")
	wide := run(t, b, "measure the form", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if wide > 390 {
		t.Errorf("the distribution form is %d px wide on a 390 px phone", wide)
	}
	b.screenshot(t, "picker-ne")
	if st := b.press(t, `form.distribution-form button[type=submit]`); st != 200 {
		t.Fatalf("save: status %d (%s)", st, b.text(t, "main"))
	}
	detail := b.path(t)
	b.wantText(t, "main", "कोटफेरा", "श्याम थापा", "दर्ता नं. १")

	// A photo over LEOC_MAX_PHOTO_MB (5) is stopped before it is sent.
	big := filepath.Join(t.TempDir(), "big.png")
	if err := os.WriteFile(big, append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 6<<20)...), 0o600); err != nil {
		t.Fatal(err)
	}
	b.do(t, "choose a 6 MB photo", chromedp.SetUploadFiles(chromedp.CSS("#file-photo"), []string{big}),
		chromedp.WaitVisible(chromedp.CSS("#file-photo-too-large")))
	b.wantText(t, "#file-photo-too-large", "५ MB")
	if valid := run(t, b, "the form's validity", chromedp.Evaluate[bool](`document.querySelector('#upload-photo').checkValidity()`)); valid {
		t.Error("the upload form would send a 6 MB photo")
	}
	b.wantText(t, "#file-photo-help", "५ MB")

	// The receipt, in Nepali.
	if st := b.open(t, detail+"/print"); st != 200 {
		t.Fatalf("print: %d", st)
	}
	b.wantText(t, "main", "म श्याम थापाले घरमूली राम बहादुर थापाको तर्फबाट माथि उल्लिखित राहत बुझिलिएँ।",
		"बुझिलिनेको सही", "बुझाउनेको सही", "प्रमाणित गर्ने", "बायाँ ल्याप्चे", "दायाँ ल्याप्चे", "केजी")
	b.wantText(t, ".print-button", "छाप्नुहोस्")
	if b.visible(t, ".print-hint") {
		t.Error("the Ctrl+P hint shows although the Print button works")
	}
	printed := run(t, b, "press Print", chromedp.Evaluate[int](`(() => { let n = 0; window.print = () => { n++; };
		document.querySelector('.print-button').click(); return n; })()`))
	if printed != 1 {
		t.Errorf("the Print button called window.print %d times", printed)
	}
	b.screenshot(t, "receipt-ne")
	b.do(t, "print media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	if b.visible(t, ".print-button") || b.visible(t, ".print-bar") {
		t.Error("the Print button is printed")
	}
	b.do(t, "screen media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
		return err
	}))
	// In English: the sentence and the units follow the page.
	b.open(t, detail+"/print?lang=en")
	b.wantText(t, "main", "I, श्याम थापा, have received the relief listed above on behalf of the household head राम बहादुर थापा.", "kg", "Left thumbprint")
	b.wantText(t, ".print-button", "Print")
	b.wantTranslated(t)

	// The picker in English, found by type and BS month.
	b.open(t, "/distributions/new")
	b.press(t, `form.lang-switch button[type=submit]`)
	b.wantText(t, "#incident-hint", "Type a ward")
	b.pick(t, "fire 2082-05", "खोली", "कोटफेरा")
	b.wantText(t, ".picker-chosen", "#3", "Fire", "Ward 4")
	b.screenshot(t, "picker-en")
	b.wantTranslated(t)
	b.wantClean(t)
}

// selectValue chooses an option the way a person does: the value, then the
// change event that scripts (the draft keeper) listen to.
func (b *browser) selectValue(t *testing.T, sel, value string) {
	t.Helper()
	b.do(t, "choose "+value+" in "+sel, chromedp.SetValue(chromedp.CSS(sel), value),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(sel)+`).dispatchEvent(new Event('change', {bubbles: true}))`))
}

// waitDraft waits until the browser keeps a draft of the form posted to
// action, and returns its storage key.
func (b *browser) waitDraft(t *testing.T, action string) string {
	t.Helper()
	key := run(t, b, "the draft key", chromedp.Evaluate[string](`'leoc-draft:' + document.body.dataset.user + ':' + `+jsString(action)))
	b.do(t, "wait for the draft", chromedp.Poll[chromedp.Void](`localStorage.getItem(`+jsString(key)+`) !== null`))
	return key
}

func (b *browser) hasDraft(t *testing.T, key string) bool {
	t.Helper()
	return run(t, b, "look for the draft", chromedp.Evaluate[bool](`localStorage.getItem(`+jsString(key)+`) !== null`))
}

// TestFormsSurviveAndAuditReads: on a phone, what a clerk typed survives a
// stale page (the form comes back filled, 422) and an ended session (the
// draft is offered after logging in again), in Nepali and in English; the
// audit trail then reads as actions and changes in the reader's language.
func TestFormsSurviveAndAuditReads(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	b := newBrowser(t, chromium, a)
	b.phone(t)
	b.open(t, "/login")
	b.login(t, "admin", a.AdminPassword)

	// A stale token: the session changes under the open form.
	b.open(t, "/incidents/new")
	b.selectValue(t, "#f-type", "flood")
	b.selectValue(t, "#f-ward", "4")
	b.fill(t, "#f-tole", "कोटफेरा")
	b.do(t, "describe", chromedp.SendKeys(chromedp.CSS("#f-description"), "खोलामा बाढी आयो"))
	key := b.waitDraft(t, "/incidents")
	if password := run(t, b, "read the draft", chromedp.Evaluate[string](`localStorage.getItem(`+jsString(key)+`)`)); strings.Contains(password, "csrf") {
		t.Errorf("the draft keeps the CSRF token: %s", password)
	}
	relogin := `(async () => {
		const token = document.querySelector('meta[name="csrf-token"]').content;
		await fetch('/logout', {method: 'POST', body: new URLSearchParams({csrf_token: token})});
		const r = await fetch('/login', {method: 'POST', body: new URLSearchParams({username: 'admin', password: ` + jsString(a.AdminPassword) + `})});
		return r.status; })()`
	if st := run(t, b, "log in again behind the form", chromedp.Evaluate[int](relogin, chromedp.EvalAwaitPromise)); st != 200 {
		t.Fatalf("login behind the form: %d", st)
	}
	if st := b.press(t, `form[action="/incidents"] button[type=submit]`); st != http.StatusUnprocessableEntity {
		t.Fatalf("stale form: status %d, want 422 (%s)", st, b.text(t, "main"))
	}
	b.wantText(t, "main", "पाना पुरानो")
	if tole := run(t, b, "the tole kept", chromedp.Value(chromedp.CSS("#f-tole"))); tole != "कोटफेरा" {
		t.Fatalf("re-shown form has tole %q", tole)
	}
	b.screenshot(t, "stale-ne")
	if st := b.press(t, `form[action="/incidents"] button[type=submit]`); st != 200 || !strings.HasPrefix(b.path(t), "/incidents/") {
		t.Fatalf("save again: %d on %s", st, b.path(t))
	}
	b.wantText(t, "main", "कोटफेरा", "खोलामा बाढी आयो")
	if b.hasDraft(t, key) {
		t.Error("the draft outlived the save")
	}

	// An ended session, in English: after login the draft is offered.
	b.press(t, `form.lang-switch button[type=submit]`)
	b.open(t, "/incidents/new")
	b.selectValue(t, "#f-type", "landslide")
	b.selectValue(t, "#f-ward", "3")
	b.fill(t, "#f-tole", "Kholi")
	b.do(t, "describe", chromedp.SendKeys(chromedp.CSS("#f-description"), "Landslide above Kholi"))
	b.waitDraft(t, "/incidents")
	if st := run(t, b, "the session ends", chromedp.Evaluate[int](`(async () => {
		const token = document.querySelector('meta[name="csrf-token"]').content;
		return (await fetch('/logout', {method: 'POST', body: new URLSearchParams({csrf_token: token})})).status; })()`, chromedp.EvalAwaitPromise)); st != 200 {
		t.Fatalf("logout: %d", st)
	}
	b.press(t, `form[action="/incidents"] button[type=submit]`)
	if p := b.path(t); !strings.HasPrefix(p, "/login?next=%2Fincidents%2Fnew") {
		t.Fatalf("an expired post leads to %s", p)
	}
	b.wantText(t, "main", "Your session had ended")
	b.login(t, "admin", a.AdminPassword)
	if p := b.path(t); p != "/incidents/new" {
		t.Fatalf("after login the browser is on %s", p)
	}
	b.wantText(t, ".draft-bar", "unsaved draft")
	b.screenshot(t, "draft-offer-en")
	b.do(t, "restore the draft", chromedp.Click(chromedp.CSS("[data-draft-restore]")))
	if tole := run(t, b, "the tole restored", chromedp.Value(chromedp.CSS("#f-tole"))); tole != "Kholi" {
		t.Fatalf("restored tole %q", tole)
	}
	if ty := run(t, b, "the type restored", chromedp.Value(chromedp.CSS("#f-type"))); ty != "landslide" {
		t.Fatalf("restored type %q", ty)
	}
	if st := b.press(t, `form[action="/incidents"] button[type=submit]`); st != 200 {
		t.Fatalf("save the restored form: %d (%s)", st, b.text(t, "main"))
	}
	b.wantText(t, "main", "Kholi", "Landslide above Kholi")
	if b.hasDraft(t, key) {
		t.Error("the restored draft outlived the save")
	}

	// A change of the office's settings, then the audit trail.
	b.open(t, "/settings")
	b.fill(t, "#address_en", "Kholi, Bajhang")
	if st := b.press(t, `form[action="/settings"] button[type=submit]`); st != 200 {
		t.Fatalf("settings: %d (%s)", st, b.text(t, "main"))
	}
	b.open(t, "/audit?action=setting.update")
	b.wantText(t, "main", "Office settings changed", "Address", "→", "Kholi, Bajhang")
	b.open(t, "/audit?entity=incidents")
	b.wantText(t, "main", "Record entered", "Incident")
	if n := run(t, b, "links to the records", chromedp.Evaluate[int](`document.querySelectorAll('.audit-table a[href="/incidents/1"], .audit-table a[href="/incidents/2"]').length`)); n != 2 {
		t.Errorf("%d links to the incidents", n)
	}
	b.wantTranslated(t)
	b.press(t, `form.lang-switch button[type=submit]`)
	b.open(t, "/audit?action=setting.update")
	b.wantText(t, "main", "कार्यालय सेटिङ परिवर्तन गरियो", "→", "Kholi, Bajhang")
	b.screenshot(t, "audit-ne")
	if wide := run(t, b, "measure the audit page", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); wide > 390 {
		t.Errorf("the audit page is %d px wide on a 390 px phone", wide)
	}
	b.wantTranslated(t)
	b.wantClean(t)
}
