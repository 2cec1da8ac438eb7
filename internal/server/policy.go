package server

import (
	"net/http"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Who may publish and who sees personal data (issue 17, item 13). The rules
// are in the domain (leoc.User.Can with PermPublish, SeesPersonalData,
// MaskPersonal); this file applies them to requests. docs/security.md has
// the table of what each role sees and may do.

// applyPolicy copies the office's access policy onto the request's user:
// only a ward-limited user who could otherwise publish is affected, so
// other requests cost no query. A failure to read it is logged and leaves
// the default (no publishing), the safe side.
func (s *Server) applyPolicy(r *http.Request, u *leoc.User) {
	if u == nil || len(u.Wards) == 0 || !u.Role.Can(leoc.PermPublish) {
		return
	}
	p, err := s.store.AccessPolicy(r.Context())
	if err != nil {
		s.log.Error("access policy", "err", err, "request_id", state(r).id)
		return
	}
	u.WardPublish = p.WardUsersPublish
}

// checkAdvisoryPublish refuses a change that reaches the public — creating
// or activating an active advisory, or editing or deleting one that is
// active — to a user without PermPublish. before is nil for a new advisory,
// after nil for a deletion. Drafts (inactive advisories) stay open to every
// writer, so a ward secretary can prepare one for the LEOC to publish.
func checkAdvisoryPublish(u *leoc.User, before, after *leoc.Advisory) error {
	if u.Can(leoc.PermPublish) {
		return nil
	}
	if (before != nil && before.Active) || (after != nil && after.Active) {
		return leoc.Errorf(leoc.EForbidden, "advisory.publish_forbidden")
	}
	return nil
}

// maskDistribution hides the personal data of a distribution the user may
// not see (another ward's household, for ward-limited users and viewers).
func maskDistribution(u *leoc.User, d *leoc.Distribution) {
	if !u.SeesPersonalData(d.Ward) {
		d.MaskPersonal()
	}
}

// maskBeneficiary is maskDistribution for the social-security register.
func maskBeneficiary(u *leoc.User, b *leoc.Beneficiary) {
	if !u.SeesPersonalData(b.Ward) {
		b.MaskPersonal()
	}
}

// AnyMasked reports whether the list shows a masked record (for the note).
func (d *distributionListData) AnyMasked() bool {
	for _, it := range d.Items {
		if it.Masked {
			return true
		}
	}
	return false
}

// AnyMasked reports whether the list shows a masked record (for the note).
func (d beneficiaryRows) AnyMasked() bool {
	for _, it := range d {
		if it.Masked {
			return true
		}
	}
	return false
}

// maskFunds hides the household names in the fund-ledger entries that
// distributions of wards the user may not see wrote.
func (s *Server) maskFunds(r *http.Request, fs ...*leoc.FundTransaction) error {
	u := state(r).user
	if u.SeesAllPersonalData() {
		return nil
	}
	var ids []int64
	for _, f := range fs {
		if f.System && f.DistributionID != 0 {
			ids = append(ids, f.DistributionID)
		}
	}
	wards, err := s.store.DistributionWards(r.Context(), ids)
	if err != nil {
		return err
	}
	for _, f := range fs {
		// A removed distribution's ward is unknown (0): masked.
		if f.System && !u.SeesPersonalData(wards[f.DistributionID]) {
			f.MaskPersonal()
		}
	}
	return nil
}

// maskFundEntries is maskFunds for a page of the ledger.
func (s *Server) maskFundEntries(r *http.Request, entries []store.FundEntry) error {
	fs := make([]*leoc.FundTransaction, len(entries))
	for i := range entries {
		fs[i] = entries[i].FundTransaction
	}
	return s.maskFunds(r, fs...)
}

// checkFileAccess refuses an evidence file of a record whose personal data
// the user may not see: photos and scanned documents show the household.
func (s *Server) checkFileAccess(r *http.Request, register string, recordID int64) error {
	u := state(r).user
	if u.SeesAllPersonalData() {
		return nil
	}
	ward, err := s.store.RecordWard(r.Context(), register, recordID)
	if leoc.ErrorCode(err) == leoc.ENotFound {
		// The record was removed: its ward is unknown, so only those who
		// see every ward may open its files.
		return leoc.Errorf(leoc.EForbidden, "personal.file_forbidden")
	}
	if err != nil {
		return err
	}
	if !u.SeesPersonalData(ward) {
		return leoc.Errorf(leoc.EForbidden, "personal.file_forbidden")
	}
	return nil
}

// policyRoutes are the access policy's settings: the admin settings page's
// form and the API.
func (s *Server) policyRoutes() []route {
	return []route{
		{pattern: "POST /settings/access", access: authenticated, perm: leoc.PermManageSetting, h: s.accessPolicySave},
		{pattern: "GET /api/v1/settings/access", access: authenticated, h: s.apiAccessPolicy},
		{pattern: "PUT /api/v1/settings/access", access: authenticated, perm: leoc.PermManageSetting, h: s.apiAccessPolicyUpdate},
	}
}

func (s *Server) accessPolicySave(w http.ResponseWriter, r *http.Request) {
	p := store.AccessPolicy{WardUsersPublish: r.PostFormValue("ward_users_may_publish") == "on"}
	s.settingsDone(w, r, s.store.SetAccessPolicy(r.Context(), actor(r), p), "access")
}

func (s *Server) apiAccessPolicy(w http.ResponseWriter, r *http.Request) {
	p, err := s.store.AccessPolicy(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, p)
}

func (s *Server) apiAccessPolicyUpdate(w http.ResponseWriter, r *http.Request) {
	var p store.AccessPolicy
	if err := decodeJSON(r, &p); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.store.SetAccessPolicy(r.Context(), actor(r), p); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, p)
}
