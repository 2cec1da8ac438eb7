package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A senior citizen is in the social-security register. On the distribution
// form the officer types her card number in the register search, picks the
// match, and the household head, ID, phone, ward, tole, bank and allowance
// fields are filled in and the "vulnerable household" notice shows.
func TestDistributionFormPrefillsFromTheRegister(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	body := `{"name":"गोमा देवी जोशी","id_number":"५५-०१-७२/९९८","allowance_type":"senior_citizen","age":74,"gender":"female",
		"ward":3,"tole":"खोली","phone":"9848055555","bank_account_holder":"गोमा देवी जोशी","bank_account_number":"0099-8877","bank_name":"RBB"}`
	req, err := http.NewRequest("POST", a.URL+"/api/v1/ssf-beneficiaries", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+createToken(t, a))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/ssf-beneficiaries: %d", resp.StatusCode)
	}

	b := newBrowser(t, chromium, a)
	b.open(t, "/login")
	b.login(t, "admin", a.AdminPassword)
	if st := b.open(t, "/distributions/new"); st != 200 {
		t.Fatalf("GET /distributions/new: %d", st)
	}
	b.fill(t, "#ssf-q", "55 01 72 998")
	b.do(t, "search the register", chromedp.Click(chromedp.CSS("[data-ssf-find]")),
		chromedp.WaitVisible(chromedp.CSS("[data-ssf-choose]")))
	b.wantText(t, "[data-ssf-choose]", "गोमा देवी जोशी", "५५-०१-७२/९९८", "ज्येष्ठ नागरिक", "वडा नं. ३")
	b.do(t, "choose the match", chromedp.Click(chromedp.CSS("[data-ssf-choose]")))
	got := run(t, b, "read the form", chromedp.Evaluate[map[string]any](`(() => {
		const f = document.querySelector('form.distribution-form');
		const v = {};
		for (const n of ['household_name', 'household_id', 'phone', 'ward', 'tole', 'bank_account_holder', 'bank_account_number', 'bank_name', 'allowance_type']) {
			v[n] = f.elements[n].value;
		}
		v.ssf_enrolled = f.elements['ssf_enrolled'].checked;
		return v;
	})()`))
	for k, want := range map[string]any{"household_name": "गोमा देवी जोशी", "household_id": "५५-०१-७२/९९८", "phone": "9848055555", "ward": "3",
		"tole": "खोली", "bank_account_holder": "गोमा देवी जोशी", "bank_account_number": "0099-8877", "bank_name": "RBB",
		"allowance_type": "senior_citizen", "ssf_enrolled": true} {
		if got[k] != want {
			t.Errorf("%s = %v after choosing, want %v", k, got[k], want)
		}
	}
	b.wantText(t, ".flash-warning[data-ssf-notice]", "जोखिममा रहेको परिवार (सामाजिक सुरक्षा: ज्येष्ठ नागरिक)")
	b.screenshot(t, "prefilled")
	b.wantTranslated(t)
	b.wantClean(t)
}
