package leoc

import (
	"strings"

	"leoc/internal/bs"
)

// FundTransaction is one entry of the relief fund ledger (राहत कोष). System
// entries are the expenditures that cash in a distribution creates; they
// change only with their distribution.
type FundTransaction struct {
	Record
	Dated
	Kind           string // "income" or "expenditure"
	Amount         Money  // > 0
	Description    string
	System         bool
	DistributionID int64 // 0 for manual entries

	// Masked is set on a copy whose household name MaskPersonal hid.
	Masked bool
}

// FundKinds are the kinds of entry.
var FundKinds = []string{"income", "expenditure"}

// MaxFundAmount keeps one entry (and sums of many) far inside int64.
const MaxFundAmount = Money(100_000_000_000 * 100)

// Signed is the entry's effect on the balance.
func (t *FundTransaction) Signed() Money {
	if t.Kind == "expenditure" {
		return -t.Amount
	}
	return t.Amount
}

// FundInput is a manual entry as typed or sent.
type FundInput struct {
	Kind        string      `json:"kind"`
	Amount      AmountInput `json:"amount"`
	Description string      `json:"description"`
	DateBS      string      `json:"date_bs"`
	Version     int         `json:"version"`
}

// Apply validates a manual entry and copies it onto t.
func (in *FundInput) Apply(cal *bs.Calendar, t *FundTransaction) error {
	var v Validation
	in.Kind = strings.TrimSpace(in.Kind)
	CheckChoice(&v, "kind", in.Kind, FundKinds)
	t.Amount = in.Amount.check(&v, "amount", MaxFundAmount)
	if !v.Has("amount") && t.Amount <= 0 {
		v.Add("amount", "fund.amount_positive")
	}
	CheckText(&v, "description", &in.Description, true, 1000)
	t.SetDate(&v, cal, "date_bs", in.DateBS)
	t.Kind, t.Description = in.Kind, in.Description
	return v.Err()
}

// Input is the entry as its form takes it, to edit it.
func (t *FundTransaction) Input() FundInput {
	return FundInput{Kind: t.Kind, Amount: Amount(t.Amount.String()), Description: t.Description, DateBS: t.DateBS.String(), Version: t.Version}
}

// Fields is the audit view of an entry.
func (t *FundTransaction) Fields() map[string]any {
	return map[string]any{"kind": t.Kind, "amount": t.Amount.String(), "description": t.Description, "date_bs": t.DateBS.String(),
		"system": t.System, "distribution_id": t.DistributionID}
}
