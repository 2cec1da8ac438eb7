package server

import (
	"net/url"
	"reflect"
	"testing"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

var codecRules = leoc.DistributionRules{Types: []string{"flood"}, Wards: []int{2, 3}, Allowances: []string{"elderly"},
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
	if err := in.Apply(bs.Default(), codecRules, want); err != nil {
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
	if err := posted.Apply(bs.Default(), codecRules, got); err != nil {
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
