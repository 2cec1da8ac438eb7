package leoc

import "time"

// SitrepFigures are the figures of a situation report's day computed from
// the registers — incidents and casualties by type and ward, houses, relief
// given, households helped, cash paid, the fund balance — and frozen into
// the report when it is saved, so that the report and the bulletin of the
// same day say the same. Officers write the narrative beside them.
type SitrepFigures struct {
	Computed      time.Time   `json:"computed"`
	Incidents     FigureRow   `json:"incidents"`
	ByType        []FigureRow `json:"by_type"`
	ByWard        []FigureRow `json:"by_ward"`
	Distributions int64       `json:"distributions"`
	Households    int64       `json:"households"`
	Cash          Money       `json:"cash"`
	FundBalance   Money       `json:"fund_balance"`
}

// FigureRow is the incident figures of one type, one ward or all of them,
// with the label it had when the figures were frozen.
type FigureRow struct {
	Key             string `json:"key"`
	LabelNe         string `json:"label_ne,omitempty"`
	LabelEn         string `json:"label_en,omitempty"`
	Incidents       int64  `json:"incidents"`
	Deaths          int64  `json:"deaths"`
	Missing         int64  `json:"missing"`
	Injured         int64  `json:"injured"`
	HousesDamaged   int64  `json:"houses_damaged"`
	HousesDestroyed int64  `json:"houses_destroyed"`
	EstimatedLoss   Money  `json:"estimated_loss"`
}

// Label is the row's label in lang.
func (r FigureRow) Label(lang string) string {
	if lang == "en" {
		return r.LabelEn
	}
	return r.LabelNe
}
