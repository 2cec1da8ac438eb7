package server

import (
	"encoding/json"
	"net/url"
	"reflect"
	"testing"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

var codecRules = leoc.IncidentRules{Types: []string{"flood", "landslide"}, Wards: []int{1, 2, 3, 4}}

// A stored incident fills its edit form by the Input's tags, and posting
// that form back unchanged gives the same incident.
func TestIncidentFormRoundTrip(t *testing.T) {
	var in leoc.IncidentInput
	if err := decodeForm(url.Values{"date_bs": {"२०८२-१०-१५"}, "time": {"14:30"}, "type": {"flood"}, "ward": {"4"},
		"tole": {"कोटफेरा"}, "latitude": {"29.4531"}, "longitude": {"81.0211"}, "deaths_male": {"१"}, "injured": {"1,234"},
		"estimated_loss": {"रु १,२५,०००.५०"}, "electricity_cut": {"1"}, "description": {"बाढी"}, "version": {"3"}}, &in); err != nil {
		t.Fatalf("decode: %v", err)
	}
	inc := &leoc.Incident{}
	if err := in.Apply(bs.Default(), codecRules, inc); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if inc.Counts[leoc.Injured] != 1234 || inc.Counts[leoc.Deaths] != 1 || inc.EstimatedLoss != 12500050 || !inc.Flags[leoc.ElectricityCut] ||
		inc.Coords == nil || inc.Coords.Latitude != 29.4531 || in.Version != 3 {
		t.Fatalf("decoded incident: %+v (version %d)", inc, in.Version)
	}
	inc.Version = 3
	back := inc.Input()
	values := encodeForm(&back)
	for name, want := range map[string]string{"date_bs": "2082-10-15", "ward": "4", "latitude": "29.4531", "injured": "1234",
		"deaths_female": "0", "estimated_loss": "125000.50", "electricity_cut": "1", "road_blocked": "", "version": "3"} {
		if got := values.Get(name); got != want {
			t.Errorf("form value %s = %q, want %q", name, got, want)
		}
	}
	var again leoc.IncidentInput
	if err := decodeForm(values, &again); err != nil {
		t.Fatalf("decode the filled form: %v", err)
	}
	inc2 := &leoc.Incident{}
	if err := again.Apply(bs.Default(), codecRules, inc2); err != nil {
		t.Fatalf("apply the filled form: %v", err)
	}
	inc2.Version = 3
	if !reflect.DeepEqual(inc.Fields(), inc2.Fields()) {
		t.Errorf("round trip changed the incident:\n%v\n%v", inc.Fields(), inc2.Fields())
	}
}

// A number that does not read is refused on its field with the message its
// tag names; a count too large to hold is refused by the domain's limit.
func TestFormNumbersRefused(t *testing.T) {
	for _, c := range []struct {
		field, value, want string
	}{
		{"ward", "four", "field.choice"},
		{"latitude", "29,45", "incident.coordinate_invalid"},
		{"injured", "तीन", "field.number"},
		{"injured", "1.5", "field.number"},
		{"injured", "99999999999999999999999", "incident.count_too_large"},
		{"injured", "-1", "field.negative"},
		{"estimated_loss", "abc", "incident.amount_invalid"},
	} {
		t.Run(c.field+"="+c.value, func(t *testing.T) {
			var in leoc.IncidentInput
			v := url.Values{"date_bs": {"2082-10-15"}, "type": {"flood"}, "ward": {"4"}}
			v.Set(c.field, c.value)
			parsed := decodeForm(v, &in)
			err := joinFieldErrors(parsed, in.Apply(bs.Default(), codecRules, &leoc.Incident{}))
			e, ok := leoc.AsError(err)
			if !ok || e.Fields[c.field].Key != c.want {
				t.Fatalf("got %v, want %s on %s", err, c.want, c.field)
			}
		})
	}
}

// A beneficiary's optional age and position stay null when left empty and
// come back as typed.
func TestBeneficiaryFormRoundTrip(t *testing.T) {
	var in leoc.BeneficiaryInput
	if err := decodeForm(url.Values{"name": {"गोमा"}, "age": {""}, "latitude": {""}, "ward": {"३"}, "version": {"x"}}, &in); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if in.Age != nil || in.Latitude != nil || in.Ward != 3 || in.Version != 0 {
		t.Fatalf("decoded: %+v", in)
	}
	age := 72
	b := &leoc.Beneficiary{Name: "गोमा", Age: &age, Ward: 3, Coords: &leoc.Coordinates{Latitude: 29.5, Longitude: 81.2}}
	b.Version = 2
	back := b.Input()
	v := encodeForm(&back)
	if v.Get("age") != "72" || v.Get("latitude") != "29.5" || v.Get("longitude") != "81.2" || v.Get("version") != "2" || v.Has("gender") && v.Get("gender") != "" {
		t.Errorf("filled form: %v", v)
	}
}

// A record's answer after a write carries its warnings last; an empty
// record gets them as its only key.
func TestWithWarningsJSON(t *testing.T) {
	o := &jsonObject{}
	o.add("id", 7)
	for _, c := range []struct {
		rec  any
		want string
	}{
		{o, `{"id":7,"warnings":[{"kind":"k","field":"ward","message":"m"}]}`},
		{struct{}{}, `{"warnings":[{"kind":"k","field":"ward","message":"m"}]}`},
	} {
		got, err := json.Marshal(&withWarnings{c.rec, []apiWarning{{Kind: "k", Field: "ward", Message: "m"}}})
		if err != nil || string(got) != c.want {
			t.Errorf("got %s %v, want %s", got, err, c.want)
		}
	}
	if _, err := json.Marshal(&withWarnings{[]int{1}, nil}); err == nil {
		t.Error("warnings added to a list: want an error")
	}
}
