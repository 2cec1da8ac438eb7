package server

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// referenceJSON is how jsonObject was encoded before json_append.go: every
// key and value through encoding/json.
func referenceJSON(o *jsonObject) []byte {
	if o == nil {
		return []byte("null")
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		var vb []byte
		switch v := o.vals[i].value().(type) {
		case *jsonObject:
			vb = referenceJSON(v)
		case []*jsonObject:
			if v == nil {
				vb = []byte("null")
				break
			}
			parts := [][]byte{}
			for _, o := range v {
				parts = append(parts, referenceJSON(o))
			}
			vb = append(append([]byte("["), bytes.Join(parts, []byte(","))...), ']')
		default:
			vb, _ = json.Marshal(v)
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// value is the value v stands for, as encoding/json would be given it.
func (v jsonValue) value() any {
	switch v.kind {
	case jsonText:
		return v.s
	case jsonInt:
		return v.n
	case jsonMoney:
		return leoc.Money(v.n)
	case jsonFloat:
		return math.Float64frombits(uint64(v.n))
	case jsonTimeUTC:
		return time.Unix(0, v.n).UTC()
	case jsonDateUTC:
		return time.Unix(0, v.n).UTC().Format(time.DateOnly)
	case jsonDateBS:
		return bs.Date{Year: int(v.n >> 16), Month: int(v.n >> 8 & 0xFF), Day: int(v.n & 0xFF)}.String()
	case jsonFiscal:
		return bs.FiscalYear{Start: int(v.n)}.Label()
	}
	return v.v
}

// The typed values write what encoding/json writes for the values they
// stand for, and what the interface path wrote before them: o gets the
// typed values, want the same values through add.
func TestTypedJSONValuesMatchEncodingJSON(t *testing.T) {
	nepal := time.FixedZone("NPT", 5*3600+45*60)
	o, want := &jsonObject{}, &jsonObject{}
	text := "राम <b>&</b> \"q\" \\ \t\u2028 \xff"
	o.addText("text", text)
	want.add("text", text)
	o.addInt("int", -9007199254740993)
	want.add("int", int64(-9007199254740993))
	for _, m := range []leoc.Money{0, 5, -50, 150050, math.MaxInt64} {
		o.addMoney("money", m)
		want.add("money", m)
	}
	for _, f := range []float64{0, 27.712345678901234, -85.30000000000001, 1e-7, 1e21, 123456789} {
		o.addFloat("float", f)
		want.add("float", f)
	}
	for _, tm := range []time.Time{time.Date(2026, 1, 29, 10, 0, 0, 123456789, time.UTC), time.Date(2026, 1, 29, 10, 0, 0, 0, nepal),
		time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 29, 0, 0, 0, 0, time.Local),
		time.Date(2026, 1, 29, 23, 59, 59, 999, time.FixedZone("UTC", 0)), time.Date(2026, 1, 29, 23, 59, 59, 1, time.FixedZone("X", 0)),
		time.Date(2026, 1, 29, 23, 59, 59, 1, time.FixedZone("X", -1)), time.Date(2026, 1, 29, 0, 30, 0, 0, nepal), {}} {
		o.addTime("time", tm)
		want.add("time", tm)
		d := leoc.Dated{DateBS: bs.Date{Year: 2082, Month: 10, Day: 15}, DateAD: tm, FiscalYear: bs.FiscalYear{Start: 2082}}
		o.addDated(d)
		want.add("date_bs", d.DateBS.String())
		want.add("date_ad", d.DateAD.Format(time.DateOnly))
		want.add("fiscal_year", d.FiscalYear.Label())
	}
	for _, d := range []leoc.Dated{{}, {DateBS: bs.Date{Year: 12345, Month: 1, Day: 100}, FiscalYear: bs.FiscalYear{Start: -3}}} {
		o.addDated(d)
		want.add("date_bs", d.DateBS.String())
		want.add("date_ad", d.DateAD.Format(time.DateOnly))
		want.add("fiscal_year", d.FiscalYear.Label())
	}
	o.addID("id", 0)
	want.add("id", nil)
	o.addID("id", 1234)
	want.add("id", int64(1234))
	o.addCoords(&leoc.Coordinates{Latitude: 27.7, Longitude: 85.3})
	want.add("latitude", 27.7)
	want.add("longitude", 85.3)
	got, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if w := referenceJSON(want); !bytes.Equal(got, w) {
		t.Fatalf("got\n%s\nwant\n%s", got, w)
	}
	// What the direct paths refuse still fails as encoding/json fails.
	for _, bad := range []func(*jsonObject){
		func(o *jsonObject) { o.addFloat("nan", math.NaN()) },
		func(o *jsonObject) { o.addFloat("inf", math.Inf(1)) },
		func(o *jsonObject) { o.addTime("far", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)) },
	} {
		o := &jsonObject{}
		bad(o)
		if _, err := json.Marshal(o); err == nil {
			t.Errorf("%v: no error", o.keys)
		}
	}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	inner := &jsonObject{}
	inner.add("ward", 3)
	inner.add("name", "वडा नं. ३ <b>&</b> \"quoted\" \\ tab\t\u2028")
	inner.add("loss", leoc.Money(12500050))
	inner.add("big", int64(-9007199254740993))
	inner.add("flag", true)
	inner.add("ratio", 0.1)
	inner.add("none", nil)
	inner.add("list", []string{"a", "<b>"})
	inner.add("bad utf-8", "\xff\xfe")
	o := &jsonObject{}
	o.add("totals", inner)
	o.add("by_ward", []*jsonObject{inner, {}})
	o.add("empty", []*jsonObject{})
	o.add("nil list", []*jsonObject(nil))
	o.add("nil object", (*jsonObject)(nil))
	o.add("plain", "aggregates")
	got, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	want := referenceJSON(o)
	var compacted bytes.Buffer
	if err := json.Compact(&compacted, want); err != nil {
		t.Fatalf("reference: %v", err)
	}
	if !bytes.Equal(got, compacted.Bytes()) {
		t.Fatalf("appendJSON\n%s\nencoding/json\n%s", got, compacted.Bytes())
	}
	direct, err := o.appendJSON(nil)
	if err != nil || !bytes.Equal(direct, got) {
		t.Fatalf("appendJSON without encoding/json around it differs:\n%s", direct)
	}
}

// nastyStrings are texts whose JSON needs every kind of escaping.
var nastyStrings = []string{"", "plain", "राम खड्का", "<script>&amp;</script>", "quote \" backslash \\ slash /",
	"\x00\x01\b\f\n\r\t\x1f\x7f", "\u2028\u2029 line separators", "bad \xff\xfe utf-8 \xe0\xa4", "emoji 🙂 and ЁЯ",
	"०१२३ देवनागरी अङ्क", "tab\tend"}

func TestAppendJSONStringsNumbersTimes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	strs := slices.Clone(nastyStrings)
	for range 2000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		strs = append(strs, string(b), string([]rune{rune(rng.IntN(0x3000)), rune(rng.IntN(0x80))}))
	}
	// Three-byte sequences, read without decoding: valid, overlong (E0 80–9F),
	// surrogates (ED A0–BF), U+2028 and U+2029, cut short.
	for range 3000 {
		lead := []byte{0xE0, 0xE1, 0xE2, 0xE4, 0xEC, 0xED, 0xEE, 0xEF, 0xDF, 0xF0}[rng.IntN(10)]
		seq := []byte{lead, byte(0x70 + rng.IntN(0x60)), byte(0x70 + rng.IntN(0x60))}
		if rng.IntN(4) == 0 {
			seq = []byte{0xE2, 0x80, byte(0xA7 + rng.IntN(4))}
		}
		strs = append(strs, "a"+string(seq[:1+rng.IntN(3)]), string(seq)+"<", "क"+string(seq)+string(seq[:2]))
	}
	var vals []any
	for _, s := range strs {
		vals = append(vals, s, &s)
	}
	nepal := time.FixedZone("NPT", 5*3600+45*60)
	odd := time.FixedZone("LMT", 5*3600+41*60+16)
	for _, f := range []float64{0, -0.0, 1, -1, 0.1, 27.7172, 85.324, 1e-6, 9.99e-7, 1e21, 1e20, 123456789.123, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		vals = append(vals, f, -f)
	}
	for range 500 {
		vals = append(vals, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(60)-30)))
		tm := time.Unix(rng.Int64N(1<<36)-1<<35, rng.Int64N(1e9))
		vals = append(vals, tm.UTC(), tm.In(nepal), tm.In(odd), tm.Truncate(time.Second).In(nepal))
		vals = append(vals, leoc.Money(rng.Int64()-1<<62), leoc.Money(rng.IntN(1000)-500))
	}
	vals = append(vals, time.Time{}, leoc.Money(0), leoc.Money(-5), leoc.Money(math.MinInt64+1), leoc.Money(math.MaxInt64),
		[]string{}, []string(nil), []string{"a", "<b>"}, (*string)(nil), nil, []any{}, []any(nil), []any{1, "x", nil},
		[]leoc.Member(nil), []leoc.Member{{Name: "सीता\n", Relation: "<wife>", Age: 30, Sex: "female"}},
		[]leoc.Harm{}, []leoc.Harm{{Member: "\u2028", Harm: "injury", Severity: "minor"}},
		[]leoc.ReliefItem{{Item: "rice&dal", Quantity: 25, Unit: "केजी"}}, []leoc.ReliefItem(nil))
	for _, v := range vals {
		want, wantErr := json.Marshal(v)
		got, err := appendJSONValue([]byte("x"), v)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("%#v: error %v, encoding/json %v", v, err, wantErr)
		}
		if err == nil && !bytes.Equal(got[1:], want) {
			t.Fatalf("%#v:\n got %s\nwant %s", v, got[1:], want)
		}
	}
	for _, v := range []any{math.NaN(), math.Inf(1), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("far", 24*3600))} {
		if _, err := appendJSONValue(nil, v); err == nil {
			t.Errorf("%v: no error; encoding/json refuses it", v)
		}
	}
}

// TestListJSONMatchesEncodingJSON holds a page of the distribution list —
// unmasked and masked rows, every kind of field — to the bytes the
// envelope struct and every value through encoding/json give.
func TestListJSONMatchesEncodingJSON(t *testing.T) {
	nepal := time.FixedZone("NPT", 5*3600+45*60)
	var items []*jsonObject
	var ds []*leoc.Distribution // the same, for the page built one object at a time
	for i, s := range nastyStrings {
		d := &leoc.Distribution{HouseholdName: s, HouseholdID: "12-34/" + s, FatherName: s, Phone: "98000000" + strconv.Itoa(i),
			ReceivedBy: s, IncidentID: int64(i), DisasterType: "flood", Ward: i + 1, Tole: s, Place: s, Shelter: s,
			Members:  []leoc.Member{{Name: s, Relation: "self", Age: 40, Sex: "male"}, {Name: "सीता", Relation: s, Age: 7, Sex: "female"}},
			Pregnant: i % 2, Deaths: i % 3, SSFEnrolled: i%2 == 0, AllowanceType: s, PovertyCard: i%3 == 0,
			Harms: []leoc.Harm{{Member: s, Harm: "injury", Severity: "serious"}}, BankHolder: s, BankAccount: s, BankName: s,
			Items: []leoc.ReliefItem{{Item: "rice", Quantity: int64(i + 1), Unit: s}}, Cash: leoc.Money(i*12345 - 500),
			Status: "distributed", Notes: s, OverrideReason: s, WarehouseID: int64(i % 2)}
		d.ID = int64(1000 + i)
		d.DateAD = time.Date(2026, 1, i+1, 0, 0, 0, 0, time.UTC)
		d.Version = i
		d.CreatedAt = time.Date(2026, 1, 2, 3, 4, 5, 123456789*(i%2), nepal)
		d.UpdatedAt = d.CreatedAt.UTC().Add(time.Duration(i) * time.Millisecond)
		d.CreatedBy, d.UpdatedBy = s, "admin"
		if i%2 == 0 {
			d.Coords = &leoc.Coordinates{Latitude: 27.7 + float64(i)/1e7, Longitude: 85.3}
			d.OpenUntil = d.CreatedAt.Add(time.Hour)
		}
		if i%3 == 0 {
			d.Members, d.Harms, d.Items = nil, nil, nil
		}
		items = append(items, distributionJSON(d))
		m := *d
		m.MaskPersonal()
		items = append(items, distributionJSON(&m))
		ds = append(ds, d, &m)
	}
	next := "cursor<&>"
	objectPages := []listPage[*leoc.Distribution]{
		{Items: ds, Total: 123456, Page: 1, PerPage: 50, Next: &next, build: addDistribution},
		{Items: ds[:3], Total: 1000, Page: 2, PerPage: 50, TotalCapped: true, build: addDistribution},
		{Items: []*leoc.Distribution{}, Page: 1, PerPage: 50, build: addDistribution},
	}
	for n, page := range []listPage[*jsonObject]{
		{Items: items, Total: 123456, Page: 1, PerPage: 50, Next: &next},
		{Items: items[:3], Total: 1000, Page: 2, PerPage: 50, TotalCapped: true},
		{Items: []*jsonObject{}, Page: 1, PerPage: 50},
	} {
		ref := listPage[json.RawMessage]{Total: page.Total, Page: page.Page, PerPage: page.PerPage, Next: page.Next, TotalCapped: page.TotalCapped}
		ref.Items = []json.RawMessage{}
		for _, o := range page.Items {
			ref.Items = append(ref.Items, referenceJSON(o))
		}
		want, err := json.Marshal(ref)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeJSON(page.object())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("list page differs from encoding/json:\n got %.2000s\nwant %.2000s", got, want)
		}
		anyPage := listPage[any]{Items: []any{}, Total: page.Total, Page: page.Page, PerPage: page.PerPage, Next: page.Next, TotalCapped: page.TotalCapped}
		for _, o := range page.Items {
			anyPage.Items = append(anyPage.Items, o)
		}
		if got, err := encodeJSON(anyPage.object()); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("list page of []any differs from encoding/json (%v):\n got %.2000s", err, got)
		}
		if got, err := encodeJSON(objectPages[n].object()); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("list page built one object at a time differs from encoding/json (%v):\n got %.2000s", err, got)
		}
	}
}

// TestBeneficiaryObjectMatchesJSON: the list's hand-appended beneficiary is
// the struct encoding/json writes, masked or not.
func TestBeneficiaryObjectMatchesJSON(t *testing.T) {
	nepal := time.FixedZone("NPT", 5*3600+45*60)
	for i, s := range nastyStrings {
		age := 60 + i
		b := &leoc.Beneficiary{Name: s, IDNumber: s, AllowanceType: "senior_citizen", Gender: s, Ward: i, Tole: s, Phone: s,
			BankAccountHolder: s, BankAccountNumber: s, BankName: s, Notes: s}
		b.ID, b.Version, b.CreatedBy, b.UpdatedBy = int64(i+1), i, s, "admin"
		b.CreatedAt = time.Date(2026, 1, 2, 3, 4, 5, 987654321*(i%2), nepal)
		b.UpdatedAt = b.CreatedAt.UTC()
		if i%2 == 0 {
			b.Age, b.Coords, b.OpenUntil = &age, &leoc.Coordinates{Latitude: 27.7 + float64(i)/3, Longitude: 85.3}, b.CreatedAt.Add(time.Hour)
		}
		for _, masked := range []bool{false, true} {
			if masked {
				b.MaskPersonal()
			}
			j := toBeneficiaryJSON(b)
			want, err := json.Marshal(j)
			if err != nil {
				t.Fatal(err)
			}
			got, err := encodeJSON(j.object())
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("beneficiary %d (masked %v): %v\n got %s\nwant %s", i, masked, err, got, want)
			}
		}
	}
}
