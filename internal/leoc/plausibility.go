package leoc

// Plausibility checks catch figures that are possible to type but unlikely
// to be true: more people dead than live in the ward, a loss above what the
// municipality considers credible. They warn before saving and never refuse,
// because a real disaster can break any ceiling.

// Warning is one thing worth a second look before saving: the field and
// what is odd about it. Kind tells API clients what it is: "implausible"
// (a figure) or "ward_mismatch" (coordinates outside the ward typed).
type Warning struct {
	Kind    string
	Field   string
	Message Msg
}

// Warning kinds.
const (
	WarnImplausible  = "implausible"
	WarnWardMismatch = "ward_mismatch"
)

// Plausibility holds the limits from the settings; a zero limit is unknown
// and not checked.
type Plausibility struct {
	Population  map[int]int64 // by ward number
	LossCeiling Money
}

// peopleCounts are the counts of people compared with the ward's population.
var peopleCounts = []IncidentCount{Deaths, Missing, Injured, AffectedPeople}

// Warnings lists the implausible figures of an incident, in form order.
func (inc *Incident) Warnings(p Plausibility) []Warning {
	var out []Warning
	if pop := p.Population[inc.Ward]; pop > 0 {
		for _, c := range peopleCounts {
			if inc.Counts[c] > pop {
				out = append(out, Warning{Kind: WarnImplausible, Field: c.Name(), Message: M("incident.warn_population", Grouped(pop))})
			}
		}
	}
	if p.LossCeiling > 0 && inc.EstimatedLoss > p.LossCeiling {
		out = append(out, Warning{Kind: WarnImplausible, Field: "estimated_loss", Message: M("incident.warn_loss", Grouped(int64(p.LossCeiling/100)))})
	}
	return out
}
