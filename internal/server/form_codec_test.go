package server

import (
	"encoding/json"
	"net/url"
	"reflect"
	"testing"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

var incidentCodecRules = leoc.IncidentRules{Types: []string{"flood", "landslide"}, Wards: []int{1, 2, 3, 4}}

// A stored incident fills its edit form by the Input's tags, and posting
// that form back unchanged gives the same incident.
func TestIncidentFormRoundTrip(t *testing.T) {
	var in leoc.IncidentInput
	if err := decodeForm(url.Values{"date_bs": {"२०८२-१०-१५"}, "time": {"14:30"}, "type": {"flood"}, "ward": {"4"},
		"tole": {"कोटफेरा"}, "latitude": {"29.4531"}, "longitude": {"81.0211"}, "deaths_male": {"१"}, "injured": {"1,234"},
		"estimated_loss": {"रु १,२५,०००.५०"}, "electricity_cut": {"1"}, "description": {"बाढी"}, "version": {"3"}}, &in, leoc.IncidentLimits); err != nil {
		t.Fatalf("decode: %v", err)
	}
	inc := &leoc.Incident{}
	if err := in.Apply(bs.Default(), incidentCodecRules, inc); err != nil {
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
	if err := decodeForm(values, &again, leoc.IncidentLimits); err != nil {
		t.Fatalf("decode the filled form: %v", err)
	}
	inc2 := &leoc.Incident{}
	if err := again.Apply(bs.Default(), incidentCodecRules, inc2); err != nil {
		t.Fatalf("apply the filled form: %v", err)
	}
	inc2.Version = 3
	if !reflect.DeepEqual(inc.Fields(), inc2.Fields()) {
		t.Errorf("round trip changed the incident:\n%v\n%v", inc.Fields(), inc2.Fields())
	}
}

// A number that does not read is refused on its field with the message its
// Limit names (field.number when none); a count too large to hold is refused by the domain's limit.
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
			parsed := decodeForm(v, &in, leoc.IncidentLimits)
			err := joinFieldErrors(parsed, in.Apply(bs.Default(), incidentCodecRules, &leoc.Incident{}))
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
	if err := decodeForm(url.Values{"name": {"गोमा"}, "age": {""}, "latitude": {""}, "ward": {"३"}, "version": {"x"}}, &in, leoc.BeneficiaryLimits); err != nil {
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

var distributionCodecRules = leoc.DistributionRules{Types: []string{"flood"}, Wards: []int{2, 3}, Allowances: []string{"elderly"},
	Units: map[string][]string{"rice": {"केजी", "kg"}, "tarpaulin": {"थान", "pieces"}}}

// A distribution's edit form, filled from the record by the Input's tags and
// posted back unchanged, saves the same distribution: rows, numbers, money,
// coordinates and flags included.
func TestDistributionFormRoundTrip(t *testing.T) {
	lat, lon := 27.7172, 85.324
	in := leoc.DistributionInput{HouseholdName: "सीता", HouseholdID: "HH-1", Phone: "९८४१०००००१", DisasterType: "flood",
		DisasterDateBS: "2082-10-01", DateBS: "2082-10-02", Ward: 3, Tole: "खोली", Latitude: &lat, Longitude: &lon,
		Members: []leoc.MemberInput{{Name: "सीता", Relation: "self", Age: leoc.Whole("३०"), Sex: "female"},
			{Name: "गीता", Age: leoc.Whole("0"), Sex: "female"}},
		Harms:    []leoc.HarmInput{{Member: "गीता", Harm: "चोट", Severity: "minor"}},
		Items:    []leoc.ItemInput{{Item: "rice", Quantity: leoc.Whole("25")}, {Item: "tarpaulin", Quantity: leoc.Whole("1"), Unit: "pieces"}},
		Pregnant: leoc.Whole("1"), SSFEnrolled: true, AllowanceType: "elderly", Cash: leoc.Amount("5,000.50"), Status: "partial"}
	want := &leoc.Distribution{}
	if err := in.Apply(bs.Default(), distributionCodecRules, want); err != nil {
		t.Fatal(err)
	}
	want.Version = 4
	back := want.Input()
	values := encodeForm(&back)
	if got := values["member_age"]; !reflect.DeepEqual(got, []string{"30", "0"}) {
		t.Errorf("member_age = %q, want one value a row", got)
	}
	if values.Get("deaths") != "" || values.Get("cash") != "5000.50" || values.Get("version") != "4" || values.Get("ssf_enrolled") != "1" {
		t.Errorf("values %v", values)
	}
	var posted leoc.DistributionInput
	if err := decodeForm(values, &posted, leoc.DistributionLimits); err != nil {
		t.Fatal(err)
	}
	got := &leoc.Distribution{}
	if err := posted.Apply(bs.Default(), distributionCodecRules, got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Fields(), want.Fields()) || posted.Version != 4 {
		t.Errorf("posted back:\n got %v\nwant %v", got.Fields(), want.Fields())
	}
}

// A value that does not parse is refused on its field, with the field's
// own message; empty rows are left out and the others keep their order.
func TestDecodeFormRefusesByField(t *testing.T) {
	v := url.Values{"ward": {"तीन"}, "incident_id": {"#x"}, "latitude": {"27,7"}, "version": {"v"},
		"member_name": {"", "राम", ""}, "member_age": {"", "४०", ""}, "item_item": {"rice"}, "item_quantity": {"२"}}
	var in leoc.DistributionInput
	e, ok := leoc.AsError(decodeForm(v, &in, leoc.DistributionLimits))
	if !ok {
		t.Fatal("no error")
	}
	want := map[string]string{"ward": "field.choice", "incident_id": "distribution.incident_unknown", "latitude": "incident.coordinate_invalid"}
	if len(e.Fields) != len(want) {
		t.Errorf("fields %v, want %v", e.Fields, want)
	}
	for k, key := range want {
		if e.Fields[k].Key != key {
			t.Errorf("%s: %q, want %q", k, e.Fields[k].Key, key)
		}
	}
	if len(in.Members) != 1 || in.Members[0].Name != "राम" || in.Members[0].Age.Text != "४०" || len(in.Items) != 1 {
		t.Errorf("rows %+v %+v", in.Members, in.Items)
	}
	var ok2 leoc.DistributionInput
	if err := decodeForm(url.Values{"incident_id": {"#१२"}}, &ok2, leoc.DistributionLimits); err != nil || ok2.IncidentID == nil || *ok2.IncidentID != 12 {
		t.Errorf("record number #१२: %v %v", ok2.IncidentID, err)
	}
}
