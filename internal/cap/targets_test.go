package cap

import (
	"os"
	"strings"
	"testing"

	"leoc/internal/geo"
	"leoc/internal/leoc"
	"leoc/internal/sharedtest"
	"leoc/internal/sharedtest/wardpolygons"
)

// thalaraSource is the Source the server builds for Thalara, with the
// ward polygons when withWards.
func thalaraSource(t *testing.T, withWards bool) Source {
	t.Helper()
	boundary, err := os.ReadFile(sharedtest.Path(t, "thalara_boundary.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := geo.ParseBoundary(boundary)
	if err != nil {
		t.Fatal(err)
	}
	src := Source{Sender: "leoc.thalara.gov.np", SenderName: "स्थानीय आपतकालीन कार्य सञ्चालन केन्द्र, थलारा गाउँपालिका",
		Event: "मौसम सूचना", AreaDesc: "थलारा गाउँपालिका", Polygon: Polygon(geo.Simplify(b.OuterRing(), 100)),
		Web: "https://leoc.thalara.gov.np/public/advisories", Contact: "गाउँपालिकाको कार्यालय, खोली, बझाङ",
		English: Texts{SenderName: "Local Emergency Operation Centre, Thalara Rural Municipality", Event: "Weather advisory",
			AreaDesc: "Thalara Rural Municipality", Contact: "Rural Municipality Office, Kholi, Bajhang"},
		Wards: map[int]Ward{}}
	var polys map[int]geo.Polygon
	if withWards {
		polys = wardpolygons.Thalara(t)
	}
	for n := 1; n <= 9; n++ {
		w := Ward{NameNe: "वडा नं. " + string(rune('०'+n)), NameEn: "Ward " + string(rune('0'+n))}
		if p, ok := polys[n]; ok {
			w.Polygon = Polygon(geo.Simplify(p[0], 60))
		}
		src.Wards[n] = w
	}
	return src
}

func targeted(wards ...int) *leoc.Advisory {
	a := sampleAdvisory(1)
	a.Wards = wards
	a.Urgency, a.Severity, a.Certainty = "Future", "Moderate", "Possible"
	a.TitleEn, a.ContentEn = "Heavy rain likely: keep away from rivers", "Heavy rain is likely in Bajhang tonight."
	return a
}

// TestTargetedAlerts: an advisory for wards 3 and 5 has a Nepali and an
// English <info>, each with an <area> per ward named in its language and
// drawn with the ward's simplified polygon, and the officer's grading;
// without ward polygons the wards share one area with the municipality
// boundary. Every document is valid CAP 1.2 per xmllint and the schema.
func TestTargetedAlerts(t *testing.T) {
	withPolys := FromAdvisory(targeted(3, 5), thalaraSource(t, true))
	t.Run("one info per language, the officer's grading", func(t *testing.T) {
		if len(withPolys.Info) != 2 || withPolys.Info[0].Language != "ne-NP" || withPolys.Info[1].Language != "en-US" {
			t.Fatalf("infos: %+v", withPolys.Info)
		}
		en := withPolys.Info[1]
		if en.Headline != "Heavy rain likely: keep away from rivers" || en.Event != "Weather advisory" || en.Description != "Heavy rain is likely in Bajhang tonight." {
			t.Errorf("English info: %+v", en)
		}
		for _, in := range withPolys.Info {
			if in.Urgency != "Future" || in.Severity != "Moderate" || in.Certainty != "Possible" {
				t.Errorf("%s grading %s/%s/%s, want the officer's Future/Moderate/Possible", in.Language, in.Urgency, in.Severity, in.Certainty)
			}
		}
	})
	t.Run("an area per ward with its polygon and name", func(t *testing.T) {
		ne, en := withPolys.Info[0].Area, withPolys.Info[1].Area
		if len(ne) != 2 || ne[0].AreaDesc != "थलारा गाउँपालिका, वडा नं. ३" || ne[1].AreaDesc != "थलारा गाउँपालिका, वडा नं. ५" {
			t.Fatalf("Nepali areas: %+v", ne)
		}
		if len(en) != 2 || en[0].AreaDesc != "Thalara Rural Municipality, Ward 3" {
			t.Fatalf("English areas: %+v", en)
		}
		for _, a := range ne {
			pts := strings.Fields(a.Polygon[0])
			if len(a.Polygon) != 1 || len(pts) < 4 || len(pts) > 60 || pts[0] != pts[len(pts)-1] {
				t.Errorf("%s: polygon of %d points", a.AreaDesc, len(pts))
			}
		}
		if ne[0].Polygon[0] == ne[1].Polygon[0] || ne[0].Polygon[0] == thalaraSource(t, true).Polygon {
			t.Error("the wards are drawn with the same polygon")
		}
	})
	withoutPolys := FromAdvisory(targeted(3, 5), thalaraSource(t, false))
	t.Run("no ward polygons: one area, the municipality boundary, the wards named", func(t *testing.T) {
		ne := withoutPolys.Info[0].Area
		if len(ne) != 1 || ne[0].AreaDesc != "थलारा गाउँपालिका, वडा नं. ३, वडा नं. ५" || len(ne[0].Polygon) != 1 || ne[0].Polygon[0] != thalaraSource(t, false).Polygon {
			t.Errorf("areas: %+v", ne)
		}
	})
	whole := targeted()
	whole.TitleEn, whole.ContentEn = "", ""
	wholeAlert := FromAdvisory(whole, thalaraSource(t, true))
	t.Run("whole municipality, Nepali only: as before", func(t *testing.T) {
		if len(wholeAlert.Info) != 1 || len(wholeAlert.Info[0].Area) != 1 || wholeAlert.Info[0].Area[0].AreaDesc != "थलारा गाउँपालिका" {
			t.Errorf("infos: %+v", wholeAlert.Info)
		}
	})
	t.Run("valid CAP 1.2", func(t *testing.T) {
		docs := map[string][]byte{}
		for name, a := range map[string]*Alert{"wards-with-polygons": withPolys, "wards-without-polygons": withoutPolys, "whole": wholeAlert} {
			doc, err := Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			docs[name] = doc
		}
		bad := *withPolys
		bad.Info = append([]Info(nil), withPolys.Info...)
		bad.Info[1].Certainty = "Certain" // CAP 1.1's value, gone in 1.2: the control
		doc, err := Marshal(&bad)
		if err != nil {
			t.Fatal(err)
		}
		docs["bad-certainty"] = doc
		got := validate(t, docs)
		for name, msg := range got {
			if name == "bad-certainty" {
				if msg == "" {
					t.Error("an invalid certainty passed the schema check; the check is not working")
				}
				continue
			}
			if msg != "" {
				t.Errorf("%s is not valid CAP 1.2:\n%s", name, msg)
			}
		}
	})
}
