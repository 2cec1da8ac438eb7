package leoc

import (
	"reflect"
	"testing"

	"leoc/internal/bs"
)

func TestAdvisoryTargetsInput(t *testing.T) {
	cal := bs.Default()
	base := func(tin AdvisoryTargetsInput) *AdvisoryInput {
		return &AdvisoryInput{Title: "t", Content: "c", Type: "weather", Priority: "high", ValidFrom: "2026-01-29T06:00:00+05:45", AdvisoryTargetsInput: tin}
	}
	t.Run("nothing chosen: whole municipality, the grading of the priority", func(t *testing.T) {
		a := &Advisory{}
		if err := base(AdvisoryTargetsInput{}).Apply(cal, a); err != nil {
			t.Fatal(err)
		}
		if !a.WholeMunicipality() || a.Grading() != (Grading{"Expected", "Severe", "Likely"}) {
			t.Errorf("got %+v", a.AdvisoryTargets)
		}
	})
	t.Run("chosen values are kept; wards sorted without repeats", func(t *testing.T) {
		a := &Advisory{}
		in := base(AdvisoryTargetsInput{Wards: &[]int{9, 2, 9}, Urgency: "Past", Severity: "Minor", Certainty: "Unlikely", TitleEn: " Rain ", ContentEn: "Text", KnownWards: []int{2, 9}})
		if err := in.Apply(cal, a); err != nil {
			t.Fatal(err)
		}
		want := AdvisoryTargets{Wards: []int{2, 9}, Urgency: "Past", Severity: "Minor", Certainty: "Unlikely", TitleEn: "Rain", ContentEn: "Text"}
		if !reflect.DeepEqual(a.AdvisoryTargets, want) {
			t.Errorf("got %+v, want %+v", a.AdvisoryTargets, want)
		}
	})
	t.Run("an edit without grading keeps the chosen one; nil wards keep the wards", func(t *testing.T) {
		a := &Advisory{AdvisoryTargets: AdvisoryTargets{Wards: []int{4}, Urgency: "Past", Severity: "Minor", Certainty: "Unlikely"}}
		if err := base(AdvisoryTargetsInput{}).Apply(cal, a); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a.Wards, []int{4}) || a.Urgency != "Past" {
			t.Errorf("got %+v", a.AdvisoryTargets)
		}
		if err := base(AdvisoryTargetsInput{Wards: &[]int{}}).Apply(cal, a); err != nil || !a.WholeMunicipality() {
			t.Errorf("an empty list did not make it municipality-wide: %v %+v", err, a.AdvisoryTargets)
		}
	})
	t.Run("refused: unknown wards, values outside CAP, English text without a title", func(t *testing.T) {
		in := base(AdvisoryTargetsInput{Wards: &[]int{3, 12, 0}, Urgency: "Soon", Severity: "severe", Certainty: "Sure", ContentEn: "text", KnownWards: []int{1, 2, 3}})
		got := fieldKeys(in.Apply(cal, &Advisory{}))
		want := map[string]string{"wards": "ward.unknown", "urgency": "field.invalid_choice", "severity": "field.invalid_choice", "certainty": "field.invalid_choice", "title_en": "advisory.title_en_required"}
		for k := range want {
			if _, ok := got[k]; !ok {
				t.Errorf("%s not refused: %v", k, got)
			}
		}
		if got["wards"] != "ward.unknown" || got["title_en"] != "advisory.title_en_required" {
			t.Errorf("messages %v", got)
		}
	})
}
