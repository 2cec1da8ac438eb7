package xlsx

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"leoc/internal/must"
)

// TestASpreadsheetShowsLakhGrouping opens a written file in LibreOffice
// (when installed: apt-get install libreoffice-calc-nogui; skipped without
// it) and reads the amounts back as the spreadsheet shows them: the one
// check that the number format really groups the Nepali way and that a
// negative amount keeps its sign.
func TestASpreadsheetShowsLakhGrouping(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc-nogui")
	}
	dir := t.TempDir()
	book := filepath.Join(dir, "amounts.xlsx")
	f := must.Get(os.Create(book))(t)
	x := must.Get(New(f, "रकम"))(t)
	must.OK(t, x.Header([]string{"रकम"}))
	shown := []struct{ amount, want string }{
		{"0.07", "0.07"},
		{"99999.50", `"99,999.50"`},
		{"100000", `"1,00,000.00"`},
		{"1234567.89", `"12,34,567.89"`},
		{"12345678.90", `"1,23,45,678.90"`},
		{"-1234567.89", `"-1,234,567.89"`},
		{"-0.00", "0.00"},
	}
	for _, s := range shown {
		must.OK(t, x.Row([]any{Amount(s.amount)}))
	}
	must.OK(t, x.Close())
	must.OK(t, f.Close())
	// Formatted text, as shown (the filter's 9th token), UTF-8 (76).
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true`, "--outdir", dir, book)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(must.Get(os.ReadFile(filepath.Join(dir, "amounts.csv")))(t))), "\n")
	if len(lines) != 1+len(shown) || lines[0] != "रकम" {
		t.Fatalf("LibreOffice read %q", lines)
	}
	for i, s := range shown {
		if got := strings.TrimSpace(lines[i+1]); got != s.want {
			t.Errorf("%s shown as %s; want %s", s.amount, got, s.want)
		}
	}
}
