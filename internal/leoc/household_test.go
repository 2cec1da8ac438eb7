package leoc

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"leoc/internal/bs"
)

func TestHouseholdKeyExamples(t *testing.T) {
	for in, want := range map[string]string{
		"12-34/567": "1234567", "1234567": "1234567", "१२-३४/५६७": "1234567", "12-034/0567": "1234567",
		"12\u200b34567": "1234567", "12\u200d-34-567": "1234567", "12–34–567": "1234567", "１２３４５６７": "1234567",
		"١٢-٣٤-٥٦٧": "1234567", "12_34:567": "1234567", `12\34|567`: "1234567", "12,34,567": "1234567",
		"1\u03012-34-567": "1234567", "ba-0012": "BA12", "Bá 12": "BA12", "0-00-000": "000", "007": "7", "A0B0": "A0B0",
		"": "", "--//": "", "\u200b": "", "१२ ०१ ७५ १२३४": "121751234", "1201751234": "1201751234", "straße 5": "STRASSE5",
	} {
		if got := HouseholdKey(in); got != want {
			t.Errorf("HouseholdKey(%q) = %q; want %q", in, got, want)
		}
	}
	for _, pair := range [][2]string{{"12-34", "12-35"}, {"10-5", "1-05"}, {"A12", "B12"}} {
		if HouseholdKey(pair[0]) == HouseholdKey(pair[1]) {
			t.Errorf("%q and %q share the key %q", pair[0], pair[1], HouseholdKey(pair[0]))
		}
	}
}

// digitScripts are zero digits of scripts a number may arrive in: ASCII,
// Devanagari, Arabic-Indic, Extended Arabic-Indic, Bengali, full-width and
// mathematical bold (the last two are compatibility forms).
var digitScripts = []rune{'0', '०', '٠', '۰', '০', '０', '𝟎'}

var (
	keySeparators = []string{" ", "-", "/", ".", "–", "—", "_", ":", ",", `\`, "|", "\u00a0", "\u3000", "‐", "·"}
	keyInvisible  = []string{"\u200b", "\u200c", "\u200d", "\u00ad", "\ufeff", "\u2060", "\u0301", "\u0308", "\u093c", "\u0951", "\ufe0f"}
)

// TestHouseholdKeySpellings is a property test: a household number made of
// segments, written with random digit scripts, letter case and width,
// separators between segments, zero-width characters and combining marks
// anywhere and extra leading zeros, always reduces to the same key — the
// segments without their leading zeros, concatenated, upper case.
func TestHouseholdKeySpellings(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 2082))
	for n := 0; n < 20000; n++ {
		var segs []string
		var want strings.Builder
		for range 1 + rng.IntN(4) {
			if rng.IntN(5) == 0 {
				letters := string(rune('A'+rng.IntN(26))) + string(rune('A' + rng.IntN(26)))[:rng.IntN(2)]
				segs = append(segs, letters)
				want.WriteString(letters)
				continue
			}
			v := 1 + rng.IntN(999999)
			if rng.IntN(20) == 0 {
				v = 0
			}
			digits := strings.Repeat("0", rng.IntN(4)) + itoa(v)
			segs = append(segs, digits)
			want.WriteString(itoa(v))
		}
		spelled := spell(rng, segs)
		if got := HouseholdKey(spelled); got != want.String() {
			t.Fatalf("HouseholdKey(%q) = %q; want %q (segments %q)", spelled, got, want.String(), segs)
		}
	}
}

func itoa(v int) string {
	if v == 0 {
		return "0"
	}
	s := ""
	for ; v > 0; v /= 10 {
		s = string(rune('0'+v%10)) + s
	}
	return s
}

func spell(rng *rand.Rand, segs []string) string {
	var b strings.Builder
	invisible := func() {
		if rng.IntN(4) == 0 {
			b.WriteString(keyInvisible[rng.IntN(len(keyInvisible))])
		}
	}
	invisible()
	for i, seg := range segs {
		if i > 0 {
			for range 1 + rng.IntN(2) {
				b.WriteString(keySeparators[rng.IntN(len(keySeparators))])
				invisible()
			}
		}
		for _, r := range seg {
			switch {
			case r >= '0' && r <= '9':
				r = digitScripts[rng.IntN(len(digitScripts))] + (r - '0')
			case rng.IntN(3) == 0:
				r = unicode.ToLower(r)
			case rng.IntN(3) == 0:
				r = 'Ａ' + (r - 'A') // full-width Latin
			}
			b.WriteRune(r)
			invisible()
		}
	}
	if rng.IntN(3) == 0 {
		b.WriteString(keySeparators[rng.IntN(len(keySeparators))])
	}
	return b.String()
}

// TestDecimalValue: every Unicode decimal digit gets the value of its
// position in a run of ten, so the run's zero and nine are digits too.
func TestDecimalValue(t *testing.T) {
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.Is(unicode.Nd, r) {
			continue
		}
		n++
		v := rune(decimalValue(r))
		if !unicode.Is(unicode.Nd, r-v) || !unicode.Is(unicode.Nd, r-v+9) {
			t.Fatalf("U+%04X: value %d, but its zero or nine is not a digit", r, v)
		}
		if r < 0x10000 && unicode.IsDigit(r) && r >= '०' && r <= '९' && v != r-'०' {
			t.Fatalf("Devanagari U+%04X = %d", r, v)
		}
	}
	if n < 600 {
		t.Fatalf("only %d decimal digits seen", n)
	}
}

// FuzzHouseholdKey: the key holds only ASCII digits and letters without a
// lower case, and it
// does not change when the same text is written with Devanagari digits,
// lower-case Latin letters or a zero-width space after every character.
func FuzzHouseholdKey(f *testing.F) {
	for _, s := range []string{"12-34/567", "१२\u200b३४", "ba-0012", "Á\u0301", "ǅ", "ß", "0-0", "\u0345", "ﬃ 01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := HouseholdKey(s)
		for _, variant := range []string{
			bs.DevanagariDigits(s),
			strings.Map(func(r rune) rune {
				if r >= 'A' && r <= 'Z' {
					return r + 'a' - 'A'
				}
				return r
			}, s),
			strings.Join(strings.Split(s, ""), "\u200b"),
		} {
			if got := HouseholdKey(variant); got != k {
				t.Fatalf("HouseholdKey(%q) = %q, but HouseholdKey(%q) = %q", s, k, variant, got)
			}
		}
		for _, r := range k {
			switch {
			case r >= '0' && r <= '9':
			case unicode.IsLetter(r) && unicode.ToUpper(r) == r:
			default:
				t.Fatalf("HouseholdKey(%q) = %q holds %q", s, k, r)
			}
		}
	})
}
