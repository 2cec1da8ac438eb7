package report_test

import (
	"context"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

var (
	ctx   = context.Background()
	admin = store.Actor{UserID: 1, Username: "admin", IP: "127.0.0.1"}
	// clock is 2082-10-15 (29 Jan 2026) 16:00 in Nepal.
	clock = time.Date(2026, 1, 29, 10, 15, 0, 0, time.UTC)
	rules = leoc.IncidentRules{
		Types: []string{"earthquake", "flood", "landslide", "windstorm", "fire", "lightning", "wildlife", "hailstorm", "other"},
		Wards: []int{1, 2, 3, 4, 5, 6, 7, 8, 9},
	}
)

func n64(n int64) *int64 { return &n }

// incident creates one incident through the domain's validation.
func incident(t testing.TB, s *store.Store, in leoc.IncidentInput) *leoc.Incident {
	t.Helper()
	inc := &leoc.Incident{}
	if err := in.Apply(bs.Default(), rules, inc); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateIncident(ctx, admin, &leoc.User{Username: "admin", Role: leoc.RoleAdmin}, inc); err != nil {
		t.Fatal(err)
	}
	return inc
}

// fixture is a small, hand-checked set of records around BS 2082-10-15:
// three incidents that day (wards 2, 2 and 7; flood twice, landslide once),
// one the day before, situation reports on both days, a second operations
// log entry, and advisories current, expired and inactive.
func fixture(t testing.TB, s *store.Store) {
	t.Helper()
	s.SetClock(func() time.Time { return clock })
	incident(t, s, leoc.IncidentInput{DateBS: "2082-10-15", Time: "06:10", Type: "flood", Ward: 2, Tole: "खोली",
		Description: "खोलामा बाढी आई घर बगायो", DeathsMale: n64(1), DeathsFemale: n64(1), MissingFemale: n64(1), InjuredMale: n64(3),
		AffectedHouseholds: n64(12), HousesDamaged: n64(4), HousesDestroyed: n64(2), LivestockLostCattle: n64(3), LivestockLostGoatsSheep: n64(7),
		AgricultureDamage: "धान खेती २ रोपनी", RoadBlocked: true, ElectricityCut: true, EstimatedLoss: leoc.Amount("12,50,000")})
	incident(t, s, leoc.IncidentInput{DateBS: "2082-10-15", Time: "09:45", Type: "flood", Ward: 2, Tole: "ताल्कोट",
		Description: "पुल भत्कियो", AffectedHouseholds: n64(3), PublicBuildingsDamaged: n64(1), EstimatedLoss: leoc.Amount("2,00,000.50")})
	incident(t, s, leoc.IncidentInput{DateBS: "2082-10-15", Time: "14:00", Type: "landslide", Ward: 7, Tole: "मष्टा",
		Description: "पहिरोले बाटो अवरुद्ध", InjuredFemale: n64(2), HousesDestroyed: n64(1), PublicBuildingsDestroyed: n64(1),
		LivestockLostPoultry: n64(20), CommunicationCut: true, RoadBlocked: true, EstimatedLoss: leoc.Amount("5,00,000")})
	incident(t, s, leoc.IncidentInput{DateBS: "2082-10-14", Time: "20:00", Type: "fire", Ward: 5, Tole: "देउल",
		Description: "आगलागी", HousesDestroyed: n64(1), WaterDisrupted: true, EstimatedLoss: leoc.Amount("80,000")})
	for _, r := range []leoc.SitrepFields{
		{DateBS: "2082-10-14", Time: "18:00", Summary: "हिजोको अवस्था", Weather: "सफा मौसम"},
		{DateBS: "2082-10-15", Time: "08:00", Summary: "बाढी प्रभावित क्षेत्रमा उद्धार जारी", Weather: "मध्यम वर्षा, भोलि पनि वर्षाको सम्भावना"},
		{DateBS: "2082-10-16", Time: "08:00", Summary: "भोलिको", Weather: "पछिको मौसम (बुलेटिनमा आउनु हुँदैन)"},
	} {
		rep := &leoc.SituationReport{}
		if err := r.Apply(bs.Default(), rep); err != nil {
			t.Fatal(err)
		}
		if err := s.SituationReports().Create(ctx, admin, nil, rep); err != nil {
			t.Fatal(err)
		}
	}
	e := &leoc.EventLog{}
	in := leoc.EventLogInput{DateBS: "2082-10-15", Time: "11:30", Type: "coordination_meeting", Description: "जिल्ला विपद् व्यवस्थापन समितिसँग समन्वय बैठक",
		Location: "गाउँपालिका कार्यालय", ResponsibleUnit: "LEOC", Status: "completed"}
	if err := in.Apply(bs.Default(), e); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateEventLog(ctx, admin, e); err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	for _, a := range []leoc.AdvisoryInput{
		{Title: "नदी किनारमा नजानुहोस्", Content: "सेती नदीको सतह बढेको छ", Type: "safety", Priority: "high", Active: &yes,
			ValidFrom: "2026-01-28T00:00:00Z", ValidUntil: "2026-02-05T00:00:00Z"},
		{Title: "म्याद सकिएको सूचना", Content: "पुरानो", Type: "general", Active: &yes, ValidFrom: "2026-01-01T00:00:00Z", ValidUntil: "2026-01-10T00:00:00Z"},
		{Title: "निष्क्रिय सूचना", Content: "नदेखिने", Type: "general", Active: &no, ValidFrom: "2026-01-28T00:00:00Z"},
	} {
		adv := &leoc.Advisory{}
		if err := a.Apply(bs.Default(), adv); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAdvisory(ctx, admin, adv); err != nil {
			t.Fatal(err)
		}
	}
}
